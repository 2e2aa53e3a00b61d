// The health verdict of one instance, as a pure transition on each probe result (SPEC §1
// `spec.health`, §3 self-healing). No timers and no clock reads: the prober passes `now` in, so
// every rule below is checked by a table of named cases in test/unit/health-thresholds.test.ts.
import type { HealthSpec } from '../manifest/service-spec.js';

/** 'starting' = not yet (or no longer) proven healthy; 'unhealthy' = terminal, to be replaced. */
export type InstanceHealth = 'starting' | 'healthy' | 'unhealthy';

/** The outcome of one active probe. */
export type ProbeResult = { ok: true } | { ok: false; error: string };

/** Everything the verdict depends on for one instance. Immutable: each transition returns a new object. */
export interface ProbeState {
  health: InstanceHealth;
  /** Counted failures in a row (failures inside the start period are not counted). */
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When the container started (ms since the epoch); the start period runs from here. */
  startedAt: number;
  lastProbeAt: number | null;
  /** The latest failure, for status and events; cleared by a successful probe. */
  lastError: string | null;
  /** Has passed its success threshold at least once; ends the start-period grace. */
  everHealthy: boolean;
}

/** The state of an instance nobody has probed yet: 'starting', no history. */
export function initialProbeState(startedAt: number): ProbeState {
  return {
    health: 'starting',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    startedAt,
    lastProbeAt: null,
    lastError: null,
    everHealthy: false,
  };
}

/**
 * Applies one probe result.
 *
 * - `successThreshold` successes in a row make an instance 'healthy'.
 * - `failureThreshold` counted failures in a row make it 'unhealthy'. A healthy instance with
 *   fewer failures stays healthy (and in rotation): one slow probe must not drop traffic.
 * - A failure strictly before `startedAt + startPeriodMs` is not counted (it still breaks a run
 *   of successes). As in Docker's `--health-start-period`, the grace ends early once the
 *   instance has been healthy: a proven-up instance that starts failing is failing, not booting.
 * - 'unhealthy' is terminal: the controller has already decided to replace the instance, and a
 *   flapping instance that answers once more must not cancel that (it would flap back into
 *   rotation and out again, and the back-off would never see it fail).
 *
 * Example (failureThreshold 3, startPeriod 10 s, started at t=0): failures at t=5 s and t=9.999 s
 * are ignored; failures at t=10 s, 15 s, 20 s count 1, 2, 3 → 'unhealthy' at t=20 s.
 */
export function recordProbe(state: ProbeState, result: ProbeResult, now: number, spec: HealthSpec): ProbeState {
  if (state.health === 'unhealthy') return state;
  if (result.ok) {
    const successes = state.consecutiveSuccesses + 1;
    const healthy = state.health === 'healthy' || successes >= spec.successThreshold;
    return {
      ...state,
      health: healthy ? 'healthy' : state.health,
      consecutiveFailures: 0,
      consecutiveSuccesses: successes,
      lastProbeAt: now,
      lastError: null,
      everHealthy: state.everHealthy || healthy,
    };
  }
  const inGrace = !state.everHealthy && now < state.startedAt + spec.startPeriodMs;
  const failures = inGrace ? state.consecutiveFailures : state.consecutiveFailures + 1;
  return {
    ...state,
    health: failures >= spec.failureThreshold ? 'unhealthy' : state.health,
    consecutiveFailures: failures,
    consecutiveSuccesses: 0,
    lastProbeAt: now,
    lastError: result.error,
  };
}

/**
 * The gateway could not connect to the instance: out of rotation at once ('starting' again, its
 * run of successes reset), so it has to pass `successThreshold` probes to come back. Never
 * 'unhealthy': one refused connection is not enough evidence to replace a container, so
 * replacement stays the active probes' decision. `now` is accepted for symmetry with
 * recordProbe; a passive failure is not a probe, so `lastProbeAt` keeps the last probe's time.
 */
export function recordPassiveFailure(state: ProbeState, error: string, _now: number): ProbeState {
  if (state.health === 'unhealthy') return state;
  return { ...state, health: 'starting', consecutiveSuccesses: 0, lastError: error };
}

/** Whether the gateway may send traffic to the instance: only when healthy. */
export function isRoutable(state: ProbeState): boolean {
  return state.health === 'healthy';
}

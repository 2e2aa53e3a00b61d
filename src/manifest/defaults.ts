// Values DSR uses for every optional manifest field left out. They mirror the `default`
// keywords of schemas/service.schema.json (a unit test checks the two agree), in the
// desired-state units (milliseconds).
import type { AnalysisSpec, GatewaySpec, HealthSpec, ResourcesSpec, RolloutStep } from './service-spec.js';

/** Path of the HTTP health check a service with a port gets when `spec.health` names no kind. */
export const DEFAULT_HEALTH_PATH = '/health';

/** Health check used when `spec.health` (or one of its fields) is absent, for a service with a port. */
export const DEFAULT_HEALTH: Readonly<HealthSpec> = Object.freeze({
  probe: Object.freeze({ kind: 'http', path: DEFAULT_HEALTH_PATH }),
  intervalMs: 5_000,
  timeoutMs: 2_000,
  failureThreshold: 3,
  successThreshold: 1,
  startPeriodMs: 10_000,
});

/** Rollout steps used when `spec.rollout.steps` is absent: 10% → 25% → 50% → 100%, 30 s apart. */
export const DEFAULT_ROLLOUT_STEPS: readonly RolloutStep[] = Object.freeze([
  { kind: 'setWeight', weight: 10 },
  { kind: 'pause', durationMs: 30_000 },
  { kind: 'setWeight', weight: 25 },
  { kind: 'pause', durationMs: 30_000 },
  { kind: 'setWeight', weight: 50 },
  { kind: 'pause', durationMs: 30_000 },
  { kind: 'setWeight', weight: 100 },
]);

/** Canary analysis used when `spec.rollout.analysis` (or one of its fields) is absent. */
export const DEFAULT_ANALYSIS: Readonly<AnalysisSpec> = Object.freeze({
  intervalMs: 10_000,
  minRequests: 20,
  maxErrorRate: 0.05,
  maxLatencyP99Ms: 500,
  failureLimit: 2,
  compareToStable: false,
  // No default: a quiet canary waits for traffic rather than being aborted for it.
  inconclusiveDeadlineMs: null,
});

/** Time the new version's instances get to become healthy before a rollout aborts (health only). */
export const DEFAULT_PROGRESS_DEADLINE_MS = 120_000;

/** Time a removed instance gets to finish its requests, then again to exit after SIGTERM. */
export const DEFAULT_STOP_GRACE_PERIOD_MS = 10_000;

/** Replicas of a version that does not say. */
export const DEFAULT_REPLICAS = 1;

/** Limits used when `spec.resources` (or one of its fields) is absent: none. */
export const DEFAULT_RESOURCES: Readonly<ResourcesSpec> = Object.freeze({ memoryBytes: null, nanoCpus: null, pids: null });

/** Gateway behaviour used when `spec.gateway` is absent. */
export const DEFAULT_GATEWAY: Readonly<GatewaySpec> = Object.freeze({ sticky: false, upstreamKeepAlive: true });

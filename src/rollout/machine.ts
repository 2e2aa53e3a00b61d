// The canary state machine (SPEC §1, issue 5): a pure function from the manifest, the persisted
// rollout state, observed health and traffic, an operator's command and the clock to the next
// state, the versions the planner must run (with gateway weights), events, and when to look again.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import { desiredFromSpec } from '../plan/wanted.js';
import { analysing, runAnalysis } from './check.js';
import { applyCommand } from './commands.js';
import type { Pass } from './pass.js';
import { abort, stepLabel } from './pass.js';
import { walkSteps } from './steps.js';
import { stepReplace } from './replace.js';
import type { RolloutEvent, RolloutState, RolloutStatus, StepInput, StepResult, TrackedVersion } from './types.js';
import { sameVersion, trackVersion } from './versions.js';
import { adoptStable, versionsToRun } from './versions-to-run.js';

/**
 * One step of the machine. The manifest decides what the rollout is about:
 * - several versions: a static split as written, no rollout, no stable;
 * - one version and no stable yet (first deploy, adoption): it becomes the stable;
 * - the stable itself: steady (a rollout in flight is dropped at once: a revert replays no steps);
 * - another version: a canary, started (or replacing the one in flight) and walked through
 *   `rollout.steps`; an aborted canary stays aborted until `retry` or another manifest change.
 * The input state is not modified. A completed rollout is not kept: stable := canary, rollout := null.
 * The versions to run follow from the new state by versionsToRun(), the function `dsr plan` calls.
 */
export function stepRollout(input: StepInput): StepResult {
  const next = advance(input);
  return { ...next, versions: versionsToRun(input.service, next.state, input.ready) };
}

/** A step's result before the versions are derived from its state. */
type Advanced = Omit<StepResult, 'versions'>;

function advance(input: StepInput): Advanced {
  const { service } = input;
  const state: RolloutState = structuredClone(input.state);
  const events: RolloutEvent[] = [];
  const only = service.versions.length === 1 ? service.versions[0] : undefined;
  if (!only) return staticSplit(service, state, events);
  if (!state.stable) {
    const stable = adoptStable(input.service, only, input.ready);
    return steady({ stable, rollout: null }, events, `stable ${stable.id}`);
  }
  const stable = state.stable;
  if (sameVersion(service, only, stable)) {
    // Replicas are not part of the spec hash: a replicas-only change scales in place.
    stable.spec = { ...only };
    const r = state.rollout;
    if (r && r.phase !== 'Aborted') {
      events.push(event('rollout.reverted', `manifest reverted to ${stable.id}: rollout of ${r.canary.id} dropped, 100% to ${stable.id}`, { step: r.stepIndex, weight: r.weight }, r.canary.id));
    }
    return steady({ stable, rollout: null }, events, `stable ${stable.id}`);
  }
  const status = canaryStatus(input, stable, only, state.rollout, events);
  if (status.phase === 'Aborted') return aborted({ stable, rollout: status }, events);

  const pass: Pass = { input, spec: service.rollout, stable, status, events, wakeAt: [], summary: '', weightChanged: false, completed: false };
  const before = status.phase;
  // Each stage may abort the rollout; a function call keeps TypeScript from narrowing `phase`.
  const stopped = (): boolean => status.phase === 'Aborted';
  if (service.strategy !== 'Canary') {
    // Rolling and Recreate have no traffic steps, analysis or gates: only abort (and retry, above).
    if (input.command?.type === 'abort') abort(pass, 'aborted by user (dsr abort)');
    else stepReplace(service.strategy, pass);
    if (stopped()) return aborted({ stable, rollout: status }, events);
    if (pass.completed) return complete(pass);
    return replacing(pass);
  }
  applyCommand(pass, input.command);
  if (!stopped()) runAnalysis(pass);
  if (!stopped()) walkSteps(pass);
  if (stopped()) return aborted({ stable, rollout: status }, events);
  if (pass.completed) return complete(pass);
  return progressing(pass, before);
}

/** The rollout status for a manifest whose single version differs from the stable. */
function canaryStatus(input: StepInput, stable: TrackedVersion, version: VersionSpec, current: RolloutStatus | null, events: RolloutEvent[]): RolloutStatus {
  const { service, now } = input;
  if (current && sameVersion(service, version, current.canary)) {
    // Replicas of the canary may change mid-rollout without restarting it.
    current.canary.spec = { ...version };
    if (current.phase === 'Aborted' && input.command?.type === 'retry') {
      const restarted = fresh(current.canary, current.revision, now);
      events.push(event('rollout.retried', `rollout of ${current.canary.id} retried from step 1 (was aborted: ${current.abortReason ?? 'no reason'})`, { previousReason: current.abortReason }, current.canary.id));
      return restarted;
    }
    return current;
  }
  const canary = trackVersion(service, version, stable.name);
  const status = fresh(canary, input.revision, now);
  const data = { stable: stable.id, canary: canary.id, revision: input.revision, steps: service.rollout.steps.length };
  if (current && current.phase !== 'Aborted') {
    events.push(event('rollout.replaced', `${canary.id} replaces ${current.canary.id} in flight; ${stable.id} stays stable`, { ...data, replaced: current.canary.id }, canary.id));
  } else {
    events.push(event('rollout.started', `rollout of ${canary.id} started (stable ${stable.id})`, data, canary.id));
  }
  return status;
}

function fresh(canary: TrackedVersion, revision: string | null, now: number): RolloutStatus {
  return {
    phase: 'Progressing',
    revision,
    canary,
    stepIndex: 0,
    weight: 0,
    startedAt: now,
    stepStartedAt: now,
    pausedByUser: false,
    analysis: { lastCheckAt: now, windowFrom: now, failures: 0, history: [] },
    abortReason: null,
    promotedStep: null,
  };
}

function staticSplit(service: ServiceSpec, state: RolloutState, events: RolloutEvent[]): Advanced {
  const r = state.rollout;
  if (r && r.phase !== 'Aborted') {
    events.push(event('rollout.cancelled', `rollout of ${r.canary.id} cancelled: the manifest declares a static split`, { step: r.stepIndex, weight: r.weight }, r.canary.id));
  }
  const versions = desiredFromSpec(service).versions;
  const split = versions.map((v) => `${v.name} ${v.weight}%`).join(', ');
  return { state: { stable: null, rollout: null }, events, requeueAfterMs: null, summary: `static split: ${split}` };
}

function steady(state: RolloutState & { stable: TrackedVersion }, events: RolloutEvent[], what: string): Advanced {
  const n = state.stable.spec.replicas;
  return { state, events, requeueAfterMs: null, summary: `${what}: ${n} replica${n === 1 ? '' : 's'}` };
}

function aborted(state: { stable: TrackedVersion; rollout: RolloutStatus }, events: RolloutEvent[]): Advanced {
  const reason = state.rollout.abortReason ?? 'no reason recorded';
  return { state, events, requeueAfterMs: null, summary: `aborted: ${reason} (dsr retry to try again)` };
}

function complete(pass: Pass): Advanced {
  const { status: s, input } = pass;
  const stable: TrackedVersion = { ...s.canary, spec: { ...s.canary.spec } };
  pass.events.push(event('rollout.completed', `rollout of ${stable.id} completed; ${pass.stable.id} removed`, {
    from: pass.stable.id,
    to: stable.id,
    revision: s.revision,
    durationMs: input.now - s.startedAt,
  }, stable.id));
  return steady({ stable, rollout: null }, pass.events, `stable ${stable.id} (rollout completed)`);
}

function progressing(pass: Pass, before: RolloutStatus['phase']): Advanced {
  const { status: s, input, spec, stable } = pass;
  const step = spec.steps[s.stepIndex];
  const waitsForPromote = step?.kind === 'pause' && step.durationMs === null && s.promotedStep !== s.stepIndex;
  s.phase = s.pausedByUser || waitsForPromote ? 'Paused' : 'Progressing';
  // A user's pause announced itself (commands.ts); a `pause: {}` step announces itself once.
  if (s.phase === 'Paused' && before !== 'Paused' && !s.pausedByUser) {
    pass.events.push(event('rollout.paused', `rollout of ${s.canary.id} paused at ${stepLabel(spec, s.stepIndex)} until promoted`, { by: 'step', step: s.stepIndex }, s.canary.id));
  }
  if (analysing(pass)) pass.wakeAt.push(s.analysis.lastCheckAt + spec.analysis.intervalMs);
  const next = pass.wakeAt.length > 0 ? Math.min(...pass.wakeAt) : null;
  return {
    state: { stable, rollout: s },
    events: pass.events,
    requeueAfterMs: next === null ? null : Math.max(0, next - input.now),
    summary: pass.summary,
  };
}

/** A Rolling or Recreate replacement in progress: no pause or analysis, only its deadline wakes it. */
function replacing(pass: Pass): Advanced {
  const { status: s, input, stable } = pass;
  s.phase = 'Progressing';
  const next = pass.wakeAt.length > 0 ? Math.min(...pass.wakeAt) : null;
  return { state: { stable, rollout: s }, events: pass.events, requeueAfterMs: next === null ? null : Math.max(0, next - input.now), summary: pass.summary };
}

function event(kind: string, message: string, data: Record<string, unknown>, version: string | null): RolloutEvent {
  return { kind, message, data, version };
}

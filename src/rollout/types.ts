// The persisted rollout state of one service and the inputs/outputs of one step of the rollout
// machine (src/rollout/machine.ts). Everything persisted here is plain JSON: the lead stores it
// in lowdb per service, and a DSR restarted mid-rollout resumes from it at the same step.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import type { DesiredVersion } from '../plan/wanted.js';
import type { ContainerTemplate } from '../template/container-template.js';

/** A version the rollout machine tracks. `id` names its containers, route and metrics series. */
export interface TrackedVersion {
  id: string;
  /** The manifest's name for it (the id adds a hash when a canary reuses the stable's name). */
  name: string;
  specHash: string;
  /** The manifest's version; `weight` is ignored (the machine decides weights), `replicas` is used. */
  spec: VersionSpec;
  /**
   * What its containers are made of, kept so the stable keeps running as it was once the manifest
   * moved on. A state saved before the template existed lacks it: see readRolloutState().
   */
  template: ContainerTemplate;
}

/**
 * One analysis check of the canary, over the window that ended at `at`. The history keeps one
 * verdict per window: the inconclusive verdict of a window still open is replaced by the next.
 */
export interface Verdict {
  at: number;
  result: 'pass' | 'fail' | 'inconclusive';
  requests: number;
  errorRate: number | null;
  latencyP99Ms: number | null;
  reason: string;
}

/**
 * Progress of one canary. `Completed` is never stored: a completed rollout is cleared at once
 * (stable := canary, rollout := null) and reported by the `rollout.completed` event, so a
 * persisted state never has to be cleaned up later.
 */
export interface RolloutStatus {
  phase: 'Progressing' | 'Paused' | 'Aborted' | 'Completed';
  /** The manifest revision that asked for the canary. */
  revision: string | null;
  canary: TrackedVersion;
  /** Index into rollout.steps of the step in progress; steps.length = all done (finalising). */
  stepIndex: number;
  /** Canary weight now applied (0..100). */
  weight: number;
  startedAt: number;
  /** When the current step began, or when its weight was applied (the latest of the two). */
  stepStartedAt: number;
  pausedByUser: boolean;
  analysis: {
    /** When the last check ran; the next is due an interval later. */
    lastCheckAt: number;
    /**
     * When the window the next check judges opened: the last conclusive verdict or the weight's
     * application. An inconclusive check leaves it, so a trickle of traffic adds up to a verdict.
     * Absent in a state saved by an older DSR, whose window opened at `lastCheckAt`.
     */
    windowFrom?: number;
    failures: number;
    history: Verdict[];
  };
  abortReason: string | null;
  /** A `dsr promote` lets this step index pass without its wait/analysis. */
  promotedStep: number | null;
}

/** Everything the rollout machine remembers about one service. */
export interface RolloutState {
  /** The version that takes the traffic when no canary is in flight; null for a static split. */
  stable: TrackedVersion | null;
  rollout: RolloutStatus | null;
}

/** An operator's gate (SPEC §5 `POST /api/services/:name/{promote,abort,pause,resume,retry}`). */
export type RolloutCommand = { type: 'promote'; full: boolean } | { type: 'abort' } | { type: 'pause' } | { type: 'resume' } | { type: 'retry' };

/** Traffic of one version over a window, as the gateway's metrics report it. */
export interface WindowSample {
  requests: number;
  /** 5xx responses plus upstream failures. */
  errors: number;
  latencyP99Ms: number | null;
}

/** An event for the lead to append once the returned state is saved. */
export interface RolloutEvent {
  kind: string;
  message: string;
  data: Record<string, unknown>;
  version: string | null;
}

export interface StepInput {
  service: ServiceSpec;
  revision: string | null;
  state: RolloutState;
  /** Healthy instances of the version's current spec. */
  ready: (versionId: string) => number;
  /**
   * Running instances of the version's current spec that no health check has judged yet in this
   * process (just adopted after a DSR restart or upgrade, or just started). Not yet judged is not
   * unhealthy: the health deadline waits for their first verdict. Absent: none.
   */
  unjudged?: (versionId: string) => number;
  /**
   * Containers of a version in any state, running or not (Recreate starts the new version only
   * once none of the old is left). Absent (tests of canaries): `ready` stands in.
   */
  present?: (versionId: string) => number;
  sample: (versionId: string, fromMs: number, toMs: number) => WindowSample;
  /** Requests in flight to a version right now (drain). */
  inFlight: (versionId: string) => number;
  command: RolloutCommand | null;
  now: number;
}

export interface StepResult {
  state: RolloutState;
  /** What must run: weights sum to 100, `name` is the version id. */
  versions: DesiredVersion[];
  events: RolloutEvent[];
  /** Milliseconds until something can change by itself (a check, a pause end, a deadline), or null. */
  requeueAfterMs: number | null;
  /** One line for status, e.g. `step 3/7: setWeight 25, waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 3 in the last 10s`. */
  summary: string;
}

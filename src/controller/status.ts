// The status of a service as the API, the CLI and the dashboard show it: a pure summary of the
// desired state, the observed containers and their health. Computed on demand, never stored.
import type { ObservedContainer } from '../runtime/runtime.js';
import type { InstanceHealth } from '../health/thresholds.js';
import type { ManifestError, ResourcesSpec, ServiceSpec } from '../manifest/service-spec.js';
import type { DesiredService } from '../plan/wanted.js';
import type { RolloutState, Verdict } from '../rollout/types.js';
import type { Blocked } from './terminal.js';

export type Phase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded' | 'Invalid';

export interface InstanceStatus {
  id: string;
  name: string;
  version: string;
  index: number;
  state: string;
  health: InstanceHealth | 'unknown';
  address: string | null;
  createdAt: string;
  current: boolean;
  /** Being removed: out of the routes, finishing its requests in flight, then stopped. */
  draining: boolean;
  lastError: string | null;
}

export interface VersionStatus {
  name: string;
  image: string;
  replicas: number;
  weight: number;
  ready: number;
}

/** Rollout progress as status shows it. */
export interface RolloutView {
  phase: 'Progressing' | 'Paused' | 'Aborted' | 'Completed';
  stable: string | null;
  canary: string;
  step: number;
  steps: number;
  weight: number;
  summary: string | null;
  abortReason: string | null;
  failures: number;
  lastVerdict: Verdict | null;
  startedAt: string;
}

export interface ServiceStatus {
  name: string;
  /** A worker has no port: no gateway route, no HTTP probe (SPEC §8). */
  worker: boolean;
  /** The limits every instance runs with (`spec.resources`; null fields = none); null without a valid spec. */
  resources: ResourcesSpec | null;
  phase: Phase;
  message: string;
  revision: string | null;
  appliedRevision: string | null;
  synced: boolean;
  versions: VersionStatus[];
  instances: InstanceStatus[];
  backoff: string | null;
  errors: ManifestError[];
  source: { file: string; line: number } | null;
  /** The stable version when no rollout runs; the rollout in flight or aborted, if any. */
  stable: string | null;
  rollout: RolloutView | null;
  /** Set while an operator's rollback holds the service: `pinned to <rev> (rollback)`. */
  pinned?: string;
  /** Actions stopped on a terminal error, with what a person must do; cleared by a manifest change or `dsr retry`. */
  blocked: Blocked[];
}

export interface StatusInput {
  name: string;
  spec: ServiceSpec | null;
  desired: DesiredService | null;
  revision: string | null;
  appliedRevision: string | null;
  containers: readonly ObservedContainer[];
  health: (id: string) => { health: InstanceHealth; lastError: string | null } | undefined;
  invalid: { file: string; errors: ManifestError[]; kept: boolean } | undefined;
  /** A problem the last pass hit (pull failure, Docker error), if any. */
  issue: string | null;
  backoff: string | null;
  /** What the service's new instances wait for (`waiting for db: no healthy instance`), if they do. */
  waitingFor?: string | null;
  dockerAvailable: boolean;
  rollout: { state: RolloutState; summary: string | null; steps: number } | null;
  /** Whether a container is being drained for removal (none when left out). */
  draining?: (id: string) => boolean;
  /** Actions stopped on a terminal error (none when absent). */
  blocked?: Blocked[];
}

/** Summarises one service; the phase is the most urgent of Invalid, Degraded, Progressing, Healthy. */
export function serviceStatus(input: StatusInput): ServiceStatus {
  const instances = input.containers
    .filter((c) => c.service === input.name)
    .sort((a, b) => a.version.localeCompare(b.version) || a.index - b.index)
    .map((c): InstanceStatus => {
      const h = input.health(c.id);
      const version = input.desired?.versions.find((v) => v.name === c.version);
      return {
        id: c.id,
        name: c.name,
        version: c.version,
        index: c.index,
        state: c.state,
        health: c.state === 'running' ? (h?.health ?? 'unknown') : 'unhealthy',
        address: c.address ? `${c.address.host}:${c.address.port}` : null,
        createdAt: c.createdAt,
        current: version?.specHash === c.specHash,
        draining: input.draining?.(c.id) ?? false,
        lastError: h?.lastError ?? null,
      };
    });
  const versions = (input.desired?.versions ?? []).map((v): VersionStatus => ({
    name: v.name,
    image: v.template.image,
    replicas: v.replicas,
    weight: v.weight,
    ready: instances.filter((i) => i.version === v.name && i.current && i.health === 'healthy').length,
  }));
  const converged = versions.every((v) => v.ready === v.replicas) &&
    instances.length === versions.reduce((n, v) => n + v.replicas, 0);
  const [phase, message] = phaseOf(input, versions, converged, instances.filter((i) => i.draining).length);
  return {
    name: input.name,
    // Every version of a service shares its port, so the first version's template tells.
    worker: input.spec ? input.spec.port === null : input.desired?.versions[0]?.template.port === null,
    resources: input.spec ? { ...input.spec.resources } : null,
    phase,
    message,
    revision: input.revision,
    appliedRevision: input.appliedRevision,
    synced: converged && input.appliedRevision === input.revision && !input.invalid,
    versions,
    instances,
    backoff: input.backoff,
    errors: input.invalid?.errors ?? [],
    source: input.spec ? { file: input.spec.source.file, line: input.spec.source.line } : null,
    stable: input.rollout?.state.stable?.id ?? null,
    rollout: rolloutView(input),
    blocked: input.blocked ?? [],
  };
}

function rolloutView(input: StatusInput): RolloutView | null {
  const r = input.rollout?.state.rollout;
  if (!input.rollout || !r) return null;
  return {
    phase: r.phase,
    stable: input.rollout.state.stable?.id ?? null,
    canary: r.canary.id,
    step: Math.min(r.stepIndex + 1, input.rollout.steps),
    steps: input.rollout.steps,
    weight: r.weight,
    summary: input.rollout.summary,
    abortReason: r.abortReason,
    failures: r.analysis.failures,
    lastVerdict: r.analysis.history.at(-1) ?? null,
    startedAt: new Date(r.startedAt).toISOString(),
  };
}

function phaseOf(input: StatusInput, versions: VersionStatus[], converged: boolean, draining: number): [Phase, string] {
  if (input.invalid) {
    const first = input.invalid.errors[0]?.message ?? 'invalid manifest';
    return ['Invalid', input.invalid.kept
      ? `${input.invalid.file} is invalid (${first}); running its last valid state`
      : `${input.invalid.file} is invalid (${first}); containers left as they are`];
  }
  if (!input.desired) return ['Progressing', 'no longer declared; waiting to be removed'];
  if (!input.dockerAvailable) return ['Degraded', 'docker unavailable; serving the last known instances'];
  // A terminal error waits for a person: say what to do, once per distinct advice.
  if (input.blocked?.length) return ['Degraded', `needs a person: ${[...new Set(input.blocked.map((b) => b.advice))].join('; ')}`];
  const rollout = input.rollout?.state.rollout;
  if (rollout?.phase === 'Aborted') return ['Degraded', `rollout of ${rollout.canary.id} aborted: ${rollout.abortReason ?? 'unknown reason'}; all traffic on ${input.rollout?.state.stable?.id ?? 'the stable version'} (dsr retry ${input.name} to try again)`];
  if (input.issue) return ['Degraded', input.issue];
  if (input.backoff) return ['Degraded', input.backoff];
  if (input.waitingFor) return ['Progressing', input.waitingFor];
  if (rollout?.phase === 'Paused') return ['Paused', input.rollout?.summary ?? `rollout of ${rollout.canary.id} paused`];
  if (rollout) return ['Progressing', input.rollout?.summary ?? `rolling out ${rollout.canary.id}`];
  if (converged) return ['Healthy', `${versions.reduce((n, v) => n + v.ready, 0)} instance(s) healthy`];
  const wanted = versions.reduce((n, v) => n + v.replicas, 0);
  const ready = versions.reduce((n, v) => n + v.ready, 0);
  return ['Progressing', `${ready} of ${wanted} instance(s) healthy${draining > 0 ? `; draining ${draining} being removed` : ''}`];
}

// Glue between the controller and the pure rollout machine (src/rollout/): reads the persisted
// rollout state of a service, steps the machine with what the controller observed, saves the new
// state and only then records the machine's events (an event never describes unsaved state).
import type { ObservedContainer } from '../runtime/runtime.js';
import type { NewEvent } from '../events/types.js';
import type { InstanceHealth } from '../health/thresholds.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { DesiredService, DesiredVersion } from '../plan/wanted.js';
import { versionsToRun } from '../rollout/versions-to-run.js';
import { stepRollout } from '../rollout/machine.js';
import type { RolloutCommand, RolloutState, StepResult, WindowSample } from '../rollout/types.js';
import type { ServiceRecords } from './service-records.js';

/** What the rollout machine needs from the gateway. */
export interface TrafficView {
  window(service: string, version: string, fromMs: number, toMs: number): { requests: number; errors: number; latencyP99Ms: number | null };
  inFlight(service: string, version: string): number;
}

/** No gateway (tests of the reconciler alone): no traffic, nothing in flight. */
export const NO_TRAFFIC: TrafficView = {
  window: () => ({ requests: 0, errors: 0, latencyP99Ms: null }),
  inFlight: () => 0,
};

/**
 * The versions and weights the persisted rollout state stands for, before the machine ran in this
 * process: right after a restart, routes and status must show the step DSR stopped at, never the
 * manifest's version at 100% (which would send all traffic to an unproven canary). `observed`
 * only matters when no stable is recorded (adoption of a same-name rollout's leftovers).
 */
export function persistedVersions(spec: ServiceSpec, state: RolloutState, observed: readonly ObservedContainer[]): DesiredVersion[] {
  return versionsToRun(spec, state, (id) => observed.filter((c) => c.service === spec.name && c.version === id && c.state === 'running').length);
}

export interface RolloutPassInput {
  spec: ServiceSpec;
  revision: string | null;
  observed: readonly ObservedContainer[];
  health: ReadonlyMap<string, InstanceHealth>;
  /** Whether a health check of this process has judged the container yet. */
  judged: (containerId: string) => boolean;
  traffic: TrafficView;
  command: RolloutCommand | null;
  now: number;
  records: ServiceRecords;
  /** Records an event; never throws (the state it describes is already saved). */
  record: (event: NewEvent) => Promise<void>;
}

/** Steps the rollout of one service; returns what must run and the machine's result. */
export async function rolloutPass(input: RolloutPassInput): Promise<{ desired: DesiredService; result: StepResult }> {
  const { spec, records } = input;
  const state = records.rollout(spec);
  const hashOf = (id: string): string | null =>
    state.stable?.id === id ? state.stable.specHash : state.rollout?.canary.id === id ? state.rollout.canary.specHash : null;
  /** Running instances of a version's current spec. */
  const current = (id: string): ObservedContainer[] => {
    const hash = hashOf(id);
    return input.observed.filter((c) => c.service === spec.name && c.version === id && c.state === 'running' && (hash === null || c.specHash === hash));
  };
  const result = stepRollout({
    service: spec,
    revision: input.revision,
    state,
    ready: (id) => current(id).filter((c) => input.health.get(c.id) === 'healthy').length,
    unjudged: (id) => current(id).filter((c) => !input.judged(c.id)).length,
    present: (id) => input.observed.filter((c) => c.service === spec.name && c.version === id).length,
    sample: (id, from, to): WindowSample => input.traffic.window(spec.name, id, from, to),
    inFlight: (id) => input.traffic.inFlight(spec.name, id),
    command: input.command,
    now: input.now,
  });
  await records.saveRollout(spec.name, result.state);
  for (const e of result.events) {
    await input.record({ kind: e.kind, service: spec.name, version: e.version, revision: input.revision, message: e.message, data: e.data });
  }
  return { desired: { name: spec.name, versions: result.versions, stopGracePeriodMs: spec.stopGracePeriodMs }, result };
}

// Labels are the only truth about which containers DSR owns: names are for humans, labels are
// what list() filters on and what the planner reads back. Everything here is pure.

/** Label keys DSR puts on every container (and network) it creates. */
export const LABELS = {
  managedBy: 'dsr.managed-by',
  owner: 'dsr.owner',
  service: 'dsr.service',
  version: 'dsr.version',
  specHash: 'dsr.spec-hash',
  instance: 'dsr.instance',
  /** The container port the instance listens on, so list() can compute network-mode addresses without an inspect; "" for a worker. */
  port: 'dsr.port',
  /** On a named volume: its name in the manifest (`spec.volumes[].name`). */
  volume: 'dsr.volume',
  /** On a Swarm secret: the name of the secret file it holds (`spec.secrets[]`, src/swarm/secrets.ts). */
  secret: 'dsr.secret',
} as const;

/** Value of the managed-by label. */
export const MANAGED_BY = 'dsr';

/** Label filters (Docker's `key=value` form) that select exactly one owner's containers. */
export function ownerLabelFilters(owner: string): string[] {
  return [`${LABELS.managedBy}=${MANAGED_BY}`, `${LABELS.owner}=${owner}`];
}

/** Labels of one instance container, e.g. `{ 'dsr.service': 'web', 'dsr.instance': '2', ... }`. */
export function instanceLabels(
  owner: string,
  spec: { service: string; version: string; index: number; specHash: string; port: number | null },
): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.owner]: owner,
    [LABELS.service]: spec.service,
    [LABELS.version]: spec.version,
    [LABELS.specHash]: spec.specHash,
    [LABELS.instance]: String(spec.index),
    [LABELS.port]: spec.port === null ? '' : String(spec.port),
  };
}

/** Labels of a version's Swarm service and its task containers: an instance's without `dsr.instance` (the task slot is the index). */
export function versionLabels(
  owner: string,
  spec: { service: string; version: string; specHash: string; port: number | null },
): Record<string, string> {
  const { [LABELS.instance]: _index, ...labels } = instanceLabels(owner, { ...spec, index: 0 });
  return labels;
}

/** Labels of a service's named volume, e.g. `{ 'dsr.service': 'db', 'dsr.volume': 'data', ... }`. */
export function volumeLabels(owner: string, service: string, name: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: owner, [LABELS.service]: service, [LABELS.volume]: name };
}

/** Labels of a network DSR created for its owner. */
export function networkLabels(owner: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: owner };
}

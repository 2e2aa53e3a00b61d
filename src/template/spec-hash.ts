// The identity of a version's containers: a changed hash means new containers. Pure; computed
// from the ContainerTemplate by the planner and the rollout machine, stored by every runtime on
// the containers it creates (Docker: the `dsr.spec-hash` label), and compared on every pass.
import { createHash } from 'node:crypto';
import { ADDED_DEFAULTS, type ContainerTemplate } from './container-template.js';

/** A field added after the first release: its canonical value, or undefined while at its default. */
type AddedField = (t: ContainerTemplate) => unknown;

const sortedPairs = (record: Record<string, string>): string[][] => Object.keys(record).sort().map((k) => [k, record[k]!]);

/** Fields added since the first release, by key. Each is left out of the hash while at its default. */
const ADDED: Record<keyof typeof ADDED_DEFAULTS, AddedField> = {
  volumes: (t) => t.volumes.length === 0 ? undefined : t.volumes.map((v) => v.kind === 'named'
    ? ['named', v.name, v.mountPath, v.readOnly]
    : ['host', v.hostPath, v.mountPath, v.readOnly]),
  resources: (t) => {
    const r = t.resources;
    const set = [['memoryBytes', r.memoryBytes], ['nanoCpus', r.nanoCpus], ['pids', r.pids]].filter(([, v]) => v !== null);
    return set.length === 0 ? undefined : Object.fromEntries(set);
  },
  labels: (t) => Object.keys(t.labels).length === 0 ? undefined : sortedPairs(t.labels),
  // Names and keyed digests only (src/secrets/digest.ts): the values never reach the hash input.
  secrets: (t) => t.secrets.length === 0 ? undefined : t.secrets.map((x) => [x.name, x.digest]),
};

/**
 * The canonical form the hash is taken over. The four fields every release had are a fixed tuple
 * `[image, sortedEnvPairs, command, port]`, exactly as before the template existed, so a DSR
 * upgrade keeps the hash of every manifest it already runs (test/unit/spec-hash-compat.test.ts)
 * and adopts its containers without a restart. Fields added later join as a fifth element, an
 * object of only those not at their default (keys sorted), left out when empty: a manifest that
 * does not use a new field keeps its hash.
 *
 *   { image: 'nginx:1.25', env: {}, command: null, port: 80, (defaults) }  → '["nginx:1.25",[],null,80]'
 *   same with resources.pids 100                                          → '["nginx:1.25",[],null,80,{"resources":{"pids":100}}]'
 */
export function canonicalTemplate(template: ContainerTemplate): string {
  const base: unknown[] = [template.image, sortedPairs(template.env), template.command, template.port];
  const added = Object.entries(ADDED)
    .map(([key, value]) => [key, value(template)] as const)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(added.length === 0 ? base : [...base, Object.fromEntries(added)]);
}

/**
 * 12 hex digits of the sha256 of the template's canonical form, so the same template always
 * hashes the same however its env object was built. E.g. image nginx:1.25, no env, no command,
 * port 80 → sha256('["nginx:1.25",[],null,80]') → b0f87627913c.
 */
export function specHash(template: ContainerTemplate): string {
  return createHash('sha256').update(canonicalTemplate(template)).digest('hex').slice(0, 12);
}

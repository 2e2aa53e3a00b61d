// The identity of a version's containers: a changed hash means new containers. Pure; computed
// from the ContainerTemplate by the planner and the rollout machine, stored by every runtime on
// the containers it creates (Docker: the `dsr.spec-hash` label), and compared on every pass.
import { createHash } from 'node:crypto';
import type { ContainerTemplate } from './container-template.js';

/**
 * The canonical form the hash is taken over. The four fields every release had are a fixed tuple
 * `[image, sortedEnvPairs, command, port]`, exactly as before the template existed, so a DSR
 * upgrade keeps the hash of every manifest it already runs (test/unit/spec-hash-compat.test.ts)
 * and adopts its containers without a restart. A field added later must join as a fifth element,
 * an object holding only the added fields whose value differs from their default (keys sorted),
 * and the element is left out when that object is empty: a manifest that does not use a new
 * field keeps its hash.
 */
export function canonicalTemplate(template: ContainerTemplate): string {
  const env = Object.keys(template.env)
    .sort()
    .map((key) => [key, template.env[key]]);
  return JSON.stringify([template.image, env, template.command, template.port]);
}

/**
 * 12 hex digits of the sha256 of the template's canonical form, so the same template always
 * hashes the same however its env object was built. E.g. image nginx:1.25, no env, no command,
 * port 80 → sha256('["nginx:1.25",[],null,80]') → b0f87627913c.
 */
export function specHash(template: ContainerTemplate): string {
  return createHash('sha256').update(canonicalTemplate(template)).digest('hex').slice(0, 12);
}

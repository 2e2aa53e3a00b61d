// The identity of a version's containers: a changed hash means new containers. Pure; computed
// by the planner, stored by every runtime on the containers it creates.
import { createHash } from 'node:crypto';

/** What identifies a version's containers: a change in any of these means new containers. */
export interface SpecHashInput {
  image: string;
  env: Record<string, string>;
  command: string[] | null;
  /** null for a worker: JSON gives `null`, so every hash of a service with a port is unchanged. */
  port: number | null;
}

/**
 * 12 hex digits of the sha256 of the spec in a fixed key order (env keys sorted), so the same
 * spec always hashes the same however its env object was built.
 */
export function specHash(input: SpecHashInput): string {
  const env = Object.keys(input.env)
    .sort()
    .map((key) => [key, input.env[key]]);
  const canonical = JSON.stringify([input.image, env, input.command, input.port]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

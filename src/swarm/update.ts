// Optimistic concurrency for service updates: Swarm refuses an update whose `version` is not the
// service's current one ("update out of sequence"), so a write based on a stale read can never
// undo someone else's (another DSR replica, an operator's `docker service scale`). On that refusal
// we re-read and apply the change again to what is there now, a bounded number of times.
import type { ServiceSpec } from 'dockerode';
import { dockerMessage, statusCodeOf } from '../runtime/errors.js';

/** A service as read for an update: its spec and the version that spec is at. */
export interface VersionedSpec {
  version: number;
  spec: ServiceSpec;
}

/** The two engine calls an update needs; SwarmRuntime passes dockerode's, tests a script. */
export interface ServiceWriter {
  read(): Promise<VersionedSpec>;
  write(version: number, spec: ServiceSpec): Promise<void>;
}

/** How many times an update is tried before the conflict is reported. */
export const UPDATE_ATTEMPTS = 5;

/** True for Swarm's answer to a stale `version` (HTTP 500 "update out of sequence", or a 409). */
export function isOutOfSequence(err: unknown): boolean {
  return statusCodeOf(err) === 409 || /update out of sequence/i.test(dockerMessage(err));
}

/**
 * Reads the service, lets `change` compute the new spec (null: nothing to do) and writes it with
 * the version it read. On a version conflict it starts over from a fresh read, up to `attempts`
 * times; then, or on any other error, it throws the last error. Returns whether it wrote.
 */
export async function updateService(
  writer: ServiceWriter,
  change: (spec: ServiceSpec) => ServiceSpec | null,
  attempts = UPDATE_ATTEMPTS,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const { version, spec } = await writer.read();
    const next = change(spec);
    if (next === null) return false;
    try {
      await writer.write(version, next);
      return true;
    } catch (err) {
      if (!isOutOfSequence(err) || attempt >= attempts) throw err;
    }
  }
}

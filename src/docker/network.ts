// The shared network of network mode: DSR (in its own container) and its instances join it, so
// DSR reaches an instance by container name and no instance port is published on the host.
import type Dockerode from 'dockerode';
import { statusCodeOf } from '../runtime/errors.js';

// Names Docker reserves for its built-in networks: 'host' would break isolation, and none of
// them give name resolution between containers.
const RESERVED = new Set(['host', 'none', 'bridge', 'default']);

/** Throws when `name` cannot serve as DSR's shared network. */
export function assertUsableNetwork(name: string): void {
  if (RESERVED.has(name)) {
    throw new Error(`network "${name}" cannot be DSR's shared network: use a user-defined network such as "dsr"`);
  }
}

/**
 * Creates the network when no network of exactly that name exists. An existing one is used as it
 * is, whoever created it (docker-compose usually does). Raw engine errors propagate.
 */
export async function ensureNetwork(docker: Dockerode, name: string, labels: Record<string, string>): Promise<void> {
  // The name filter matches substrings ("dsr" finds "dsr-test"), hence the exact comparison.
  const found = await docker.listNetworks({ filters: { name: [name] } });
  if (found.some((n) => n.Name === name)) return;
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  } catch (err) {
    // Another process created it between our list and create: that is what we wanted.
    if (statusCodeOf(err) !== 409) throw err;
  }
}

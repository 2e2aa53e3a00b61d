// The attachable overlay network of a Swarm installation: DSR (itself a task, see
// deploy/swarm-stack.yml) and every instance join it, and the gateway reaches instances at their
// task IPs on it. Attachable, so a plain container (a test client, an operator's debug shell) can join too.
import type Dockerode from 'dockerode';
import { statusCodeOf } from '../runtime/errors.js';

/**
 * Creates the overlay when no network of exactly that name exists; an existing one (e.g. created
 * by `docker stack deploy`) is used as it is. Raw engine errors propagate (503: not a swarm manager).
 */
export async function ensureOverlay(docker: Dockerode, name: string, labels: Record<string, string>): Promise<void> {
  // The name filter matches substrings ("dsr" finds "dsr-test"), hence the exact comparison.
  const found = await docker.listNetworks({ filters: { name: [name] } });
  if (found.some((n) => n.Name === name)) return;
  try {
    await docker.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: labels });
  } catch (err) {
    // Another process created it between our list and create: that is what we wanted.
    if (statusCodeOf(err) !== 409) throw err;
  }
}

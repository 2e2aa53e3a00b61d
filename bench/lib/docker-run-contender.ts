// Baseline 1: what a careful shell script does without DSR. `docker run -d` each instance, 8 CLI
// processes at a time (as `xargs -P8`), and wait until every instance answers its health check;
// then `docker rm -f` them, 8 at a time. The published port is read with one engine API call
// rather than a `docker port` process, so the baseline carries no overhead DSR does not have.
import type Dockerode from 'dockerode';
import { runCommand } from './exec.js';
import { IMAGE, PORT, fleet, publishedPort } from './fleet.js';
import { forEachLimit } from './pool.js';
import { secondsSince, waitHealthy } from './wait-healthy.js';

/** Seconds to bring the fleet up (running and healthy) and to remove it again. */
export interface UpDown {
  upSeconds: number;
  downSeconds: number;
}

/** Parallel `docker run` processes, as `xargs -P8`. */
export const PARALLEL = 8;

/** Brings `n` services up with `docker run -d` and removes them with `docker rm -f`, timing both. */
export async function benchDockerRun(docker: Dockerode, owner: string, n: number): Promise<UpDown> {
  const members = fleet(owner, n);
  const ids: string[] = [];
  const healthy: Promise<void>[] = [];
  let start = performance.now();
  await forEachLimit(members, PARALLEL, async (member) => {
    const labels = Object.entries(member.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const { stdout } = await runCommand('docker', ['run', '-d', '--name', member.name, ...labels, '-p', `127.0.0.1::${PORT}`, IMAGE]);
    const id = stdout.trim();
    ids.push(id);
    // The health wait does not hold a pool slot: the script moves on to the next `docker run`.
    const ready = publishedPort(docker, id).then((port) => waitHealthy(port));
    ready.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    healthy.push(ready);
  });
  await Promise.all(healthy);
  const upSeconds = secondsSince(start);

  start = performance.now();
  await forEachLimit(ids, PARALLEL, async (id) => {
    await runCommand('docker', ['rm', '-f', id]);
  });
  return { upSeconds, downSeconds: secondsSince(start) };
}

// A single-node Docker Swarm for tests: a second dockerd (second-engine.ts, never the shared
// engine) turned into a swarm manager, with the test images copied in. One per test file:
//
//   describeSwarm('SwarmRuntime', (swarm) => {
//     const runtime = new SwarmRuntime({ docker: swarm.docker, owner: uniqueOwner() });
//     it('...', async () => { ... });
//   });
//
// The engine starts while the suite is collected and is torn down after it (leave the swarm,
// stop dockerd, delete the bridge and the folders). Without root, dockerd or `ip`, the suite is
// skipped visibly, or FAILS when DSR_REQUIRE_DOCKER=1 (CI); an engine that does not start always
// fails. Measured on one machine: the service VIP and the ingress mesh do not work (no IPVS in
// the kernel); task IPs on an attachable overlay do, which is what SwarmRuntime reports.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { dockerRequired } from './docker.js';
import { SecondEngine } from './second-engine.js';

/** Images the swarm tests run, copied from the main engine. */
export const SWARM_TEST_IMAGES = ['dsr-test-web:v1', 'dsr-test-web:crash'];

/** What a describeSwarm suite gets. */
export interface SwarmTestEnv {
  /** A client of the swarm engine (a manager). */
  docker: Dockerode;
  /** `unix:///tmp/dsr-swarm-<pid>.sock`, for `docker -H`. */
  host: string;
}

const PREFIX = '/tmp/dsr-swarm-engine-';

/** describe() on a fresh single-node swarm: skips (fails with DSR_REQUIRE_DOCKER=1) when one cannot be started here. */
export function describeSwarm(name: string, fn: (env: SwarmTestEnv) => void, images: string[] = SWARM_TEST_IMAGES): void {
  describe(name, async () => {
    const missing = missingPrerequisite();
    if (missing) {
      const reason = `a test swarm needs ${missing}`;
      if (dockerRequired()) {
        it('can start a test swarm', () => {
          throw new Error(`DSR_REQUIRE_DOCKER=1 but ${reason}`);
        });
      } else {
        it(`needs a swarm: ${reason}`, { skip: reason }, () => undefined);
      }
      return;
    }
    const engine = new SecondEngine(layout(process.pid, freeSubnet(24)));
    let started: Error | null = null;
    try {
      await startSwarm(engine, images);
    } catch (err) {
      started = err instanceof Error ? err : new Error(String(err));
    }
    if (started) {
      const error = started;
      it('can start a test swarm', () => {
        throw error;
      });
    } else {
      fn({ docker: engine.docker, host: engine.host });
    }
    // Registered after fn's hooks, and after hooks run in order: the suite cleans up first.
    after(() => stopSwarm(engine));
  });
}

/** Starts the engine, makes it a one-node swarm on its own loopback address and loads the images. */
export async function startSwarm(engine: SecondEngine, images: string[]): Promise<void> {
  await sweepLeftovers();
  await engine.start();
  const info = await engine.docker.info() as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== 'active') {
    // Swarm would create docker_gwbridge on the first free 172.x/16 with the interface name
    // docker_gwbridge, in the namespace the main engine shares: made here first, on a range and an
    // interface name of our own, it touches nothing of the main engine's.
    await engine.docker.createNetwork({
      Name: 'docker_gwbridge',
      Driver: 'bridge',
      IPAM: { Config: [{ Subnet: freeSubnet(24).replace(/\.1\/24$/, '.0/24') }] },
      Options: {
        'com.docker.network.bridge.name': `${engine.layout.bridge}g`.slice(0, 15),
        'com.docker.network.bridge.enable_icc': 'false',
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
      },
    });
    // Own ports, so two swarm test files (or a soak) never collide on 2377 or VXLAN's 4789, and an
    // own address for the port that cannot be chosen (gossip's 7946, swarmAddress).
    const port = 20_000 + (process.pid % 10_000);
    const address = swarmAddress(process.pid);
    await engine.docker.swarmInit({
      ListenAddr: `${address}:${port}`,
      AdvertiseAddr: address,
      DataPathPort: port + 10_000,
      DefaultAddrPool: [freeSubnet(16)],
      SubnetSize: 24,
    });
  }
  if (images.length) engine.loadImages(images);
}

/**
 * The loopback address a process's test swarm advertises and listens on, e.g. 127.77.48.57 for
 * pid 12345. Swarm's gossip (memberlist, which fills the overlay's DNS) binds the advertised
 * address on the fixed port 7946: a second swarm on 127.0.0.1 fails to start it ("address already
 * in use" in dockerd's log), and its containers then resolve no name at all, not even their own
 * service's. Any 127.x.y.z is this host's own.
 */
export function swarmAddress(pid: number): string {
  return `127.77.${(pid >> 8) & 255}.${pid & 255 || 1}`;
}

/** Leaves the swarm and removes the engine with everything it made. */
export async function stopSwarm(engine: SecondEngine): Promise<void> {
  if (engine.running) await engine.docker.swarmLeave({ force: true }).catch(() => undefined);
  await engine.stop();
  // dockerd removes docker_gwbridge's interface only when the network is removed; it is ours.
  const gateway = `${engine.layout.bridge}g`.slice(0, 15);
  if (existsSync(`/sys/class/net/${gateway}`)) execFileSync('ip', ['link', 'delete', gateway]);
}

/** Unique per process: two test files may run a swarm each. */
function layout(pid: number, cidr: string): ConstructorParameters<typeof SecondEngine>[0] {
  return {
    root: `${PREFIX}${pid}`,
    socket: `/tmp/dsr-swarm-${pid}.sock`,
    bridge: `dsrsw${pid.toString(36)}`.slice(0, 14),
    cidr,
    namespace: `dsrswarm${pid}`,
    liveRestore: false, // swarm mode refuses live-restore
  };
}

/** What this machine lacks for a second engine, or null. */
function missingPrerequisite(): string | null {
  if (process.getuid?.() !== 0) return 'root (it starts a second dockerd and a bridge)';
  for (const tool of ['dockerd', 'ip', 'docker']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} on the PATH`;
    }
  }
  return null;
}

/**
 * A private 10.x.0.0 range no interface or route of this host uses yet: `10.231.0.1/24` for a
 * bridge, `10.232.0.0/16` for the swarm's overlay pool (each call takes the next free octet).
 */
let taken = new Set<number>();
function freeSubnet(bits: 16 | 24): string {
  const used = execFileSync('sh', ['-c', 'ip -4 addr; ip -4 route'], { encoding: 'utf8' });
  for (let octet = 220 + (process.pid % 20); octet < 255; octet++) {
    if (taken.has(octet) || used.includes(`10.${octet}.`)) continue;
    taken = new Set([...taken, octet]);
    return bits === 24 ? `10.${octet}.0.1/24` : `10.${octet}.0.0/16`;
  }
  throw new Error('no free 10.x.0.0/16 range for a test swarm');
}

/** Removes engines of test processes that died before their teardown (kill -9, a crashed runner). */
async function sweepLeftovers(): Promise<void> {
  for (const dir of readdirSync('/tmp').map((d) => `/tmp/${d}`).filter((d) => d.startsWith(PREFIX))) {
    const pid = Number(dir.slice(PREFIX.length));
    if (!Number.isInteger(pid) || alive(pid)) continue;
    const pidfile = `${dir}/dockerd.pid`;
    const gateway = `/sys/class/net/${layout(pid, '').bridge}g`;
    if (existsSync(gateway)) execFileSync('ip', ['link', 'delete', gateway.slice('/sys/class/net/'.length)]);
    if (existsSync(pidfile)) {
      const daemon = Number(readFileSync(pidfile, 'utf8').trim());
      if (Number.isInteger(daemon) && alive(daemon)) process.kill(daemon, 'SIGKILL');
    }
    // stop() deletes the bridge and the folders; nothing of it is running any more.
    await new SecondEngine(layout(pid, '')).stop();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

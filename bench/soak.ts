// Chaos soak: steady load through DSR's gateway for N minutes while a random instance is killed
// every few seconds, the Docker engine is restarted once and DSR itself is SIGKILLed and
// restarted once. Prints failed requests (outside and inside the DSR-down window), DSR's RSS and
// open file descriptors at start and end, and events lost (the event log's ids against what a
// Last-Event-ID follower received).
//
//   npx tsx bench/soak.ts [--minutes 10] [--rps 40] [--replicas 3]
//
// Runs as root: it starts its OWN dockerd (own socket, roots and bridge, see lib/soak-engine.ts)
// and points DSR at it with DOCKER_HOST, so the engine restart never touches the shared engine.
// Traffic goes to 127.0.0.1 only and stops after --minutes (+1 minute at most).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { DSR_BIN, freePort } from '../test/helpers/dsr-process.js';
import { GitRepo, manifest } from '../test/helpers/git-repo.js';
import { SoakEngine } from './lib/soak-engine.js';
import { followEvents, steadyLoad, type Outcome } from './lib/soak-traffic.js';
import { sleep } from './lib/wait-healthy.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rps: { type: 'string', default: '40' }, replicas: { type: 'string', default: '3' } } });
const minutes = Number(values.minutes);
const rps = Number(values.rps);
const replicas = Number(values.replicas);
const IMAGE = 'dsr-test-web:v1';
const log = (m: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${m}`);

/** RSS (MB) and open file descriptors of a process, from /proc. */
function procStats(pid: number): { rssMb: number; fds: number } {
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { rssMb: Math.round(Number(rss?.[1] ?? 0) / 1024), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** A `dsr run` child; killed and reported when it does not answer /healthz within 2 minutes (a loaded machine starts slowly). */
interface Dsr {
  child: ChildProcess;
  url: string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function startDsr(args: string[], env: Record<string, string>, port: number): Promise<Dsr> {
  const child = spawn(process.execPath, [DSR_BIN, 'run', '--port', String(port), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const dsr: Dsr = {
    child,
    url: `http://127.0.0.1:${port}`,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitUntil(`dsr run to answer on ${dsr.url}`, async () => {
      if (child.exitCode !== null) throw new Error(`dsr run exited with ${child.exitCode}: ${output}`);
      return (await fetch(`${dsr.url}/healthz`).catch(() => null))?.ok === true;
    }, 120_000);
  } catch (error) {
    await dsr.kill('SIGKILL');
    throw error;
  }
  return dsr;
}

async function serviceReady(url: string): Promise<boolean> {
  const res = await fetch(`${url}/api/services/soak`).catch(() => null);
  if (!res?.ok) return false;
  const s = (await res.json()) as { phase: string; instances: Array<{ health: string }> };
  return s.phase === 'Healthy' && s.instances.filter((i) => i.health === 'healthy').length >= replicas;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Every event id in DSR's log, paging GET /events with the next cursor. */
async function allEventIds(url: string): Promise<number[]> {
  const ids: number[] = [];
  for (let since: number | null = 0, pages = 0; since !== null && pages < 10_000; pages++) {
    const body = (await (await fetch(`${url}/events?since=${since}&limit=1000`)).json()) as { events: Array<{ id: number }>; next: number | null };
    ids.push(...body.events.map((e) => e.id));
    since = body.next;
  }
  return ids;
}

async function main(): Promise<void> {
  const engine = new SoakEngine();
  const repo = new GitRepo('dsr-soak-');
  const data = mkdtempSync(join(tmpdir(), 'dsr-soak-data-'));
  const owner = `soak-${randomBytes(3).toString('hex')}`;
  let dsr: Dsr | null = null;
  const cleanup = async (): Promise<void> => {
    await dsr?.kill('SIGTERM');
    await engine.stop();
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    await engine.start();
    engine.loadImages([IMAGE]);
    repo.write('manifests/soak.yaml', manifest('soak', { image: IMAGE, replicas, interval: '1s' }));
    repo.commit('soak service');
    const port = await freePort();
    const env = { DOCKER_HOST: engine.host, DSR_OWNER: owner };
    const args = ['--manifests', join(repo.dir, 'manifests'), '--data', data];
    dsr = await startDsr(args, env, port);
    const url = dsr.url;
    await waitUntil(`${replicas} healthy instances`, () => serviceReady(url), 120_000);
    log(`DSR ${dsr.child.pid} on ${url}, ${replicas} instances of ${IMAGE} on the soak engine; ${minutes} min at ${rps} req/s`);

    const runMs = minutes * 60_000;
    const follower = followEvents(() => url, 0);
    const load = steadyLoad(`${url}/gateway/soak/version`, rps, runMs + 60_000);
    const began = Date.now();
    await sleep(Math.min(15_000, runMs / 10));
    const start = procStats(dsr.child.pid!);
    log(`start: RSS ${start.rssMb} MB, ${start.fds} fds`);

    let kills = 0;
    let engineDown = false;
    let engineRestart = { at: 0, back: 0 };
    let dsrDown = { at: 0, back: 0 };
    let beforeKill = start;
    const engineAt = began + runMs / 3;
    const dsrAt = began + (2 * runMs) / 3;
    while (Date.now() - began < runMs) {
      await sleep(3_000 + Math.random() * 3_000);
      if (engineRestart.at === 0 && Date.now() >= engineAt) {
        engineDown = true;
        engineRestart.at = Date.now();
        const proxiesBefore = engine.proxies();
        log('restarting the soak dockerd (live-restore: instances keep running)');
        await engine.stopDaemon();
        const proxiesDown = engine.proxies();
        await sleep(3_000);
        await engine.startDaemon();
        engineRestart.back = Date.now();
        engineDown = false;
        log(`soak dockerd back after ${((engineRestart.back - engineRestart.at) / 1000).toFixed(1)} s; docker-proxy processes for published ports: ${proxiesBefore} before, ${proxiesDown} while it was down, ${engine.proxies()} after`);
        continue;
      }
      if (dsrDown.at === 0 && Date.now() >= dsrAt) {
        beforeKill = procStats(dsr.child.pid!);
        log(`SIGKILL DSR (RSS ${beforeKill.rssMb} MB, ${beforeKill.fds} fds)`);
        dsrDown.at = Date.now();
        await dsr.kill('SIGKILL');
        await sleep(2_000);
        dsr = await startDsr(args, env, port);
        const restarted = Date.now();
        await waitUntil('gateway traffic after the restart', async () => load.outcomes.some((o) => o.ok && o.start >= restarted), 120_000);
        dsrDown.back = Date.now();
        log(`DSR ${dsr.child.pid} serving again ${((dsrDown.back - dsrDown.at) / 1000).toFixed(1)} s after the kill`);
        continue;
      }
      if (engineDown) continue;
      const running = await engine.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`], status: ['running'] } }).catch(() => []);
      const victim = running[Math.floor(Math.random() * running.length)];
      if (victim && running.length >= replicas) {
        await engine.docker.getContainer(victim.Id).kill().catch(() => undefined);
        kills++;
      }
    }
    log(`chaos over: ${kills} instances killed; letting DSR settle`);
    await waitUntil(`${replicas} healthy instances again`, () => serviceReady(url), 120_000).catch((e: Error) => log(e.message));
    await sleep(5_000);
    const end = procStats(dsr.child.pid!);
    const outcomes = await load.stop();

    // Events: the log's ids must run without gaps, and the follower must have received each once.
    await sleep(2_000);
    const logged = await allEventIds(url);
    await follower.stop();
    const received = new Set(follower.ids);
    const gaps = logged.filter((id, i) => i > 0 && id !== logged[i - 1]! + 1).length;
    const missed = logged.filter((id) => !received.has(id)).length;
    const duplicated = follower.ids.length - received.size;

    const inWindow = (o: Outcome): boolean => o.end >= dsrDown.at && o.start <= dsrDown.back;
    const failed = outcomes.filter((o) => !o.ok);
    const failedIn = failed.filter(inWindow);
    const failedOut = failed.filter((o) => !inWindow(o));
    const byDetail = (list: Outcome[]): string => [...list.reduce((m, o) => m.set(o.detail, (m.get(o.detail) ?? 0) + 1), new Map<string, number>())].map(([d, n]) => `${d}×${n}`).join(', ') || '-';
    console.log('\n== DSR chaos soak ==');
    console.log(`duration                 ${minutes} min, ${rps} req/s through /gateway/soak/, ${replicas} replicas of ${IMAGE}`);
    console.log(`chaos                    ${kills} instances killed (every 3-6 s), 1 dockerd restart (${((engineRestart.back - engineRestart.at) / 1000).toFixed(1)} s), 1 DSR SIGKILL + restart`);
    console.log(`requests                 ${outcomes.length}`);
    console.log(`failed outside DSR-down  ${failedOut.length}  (${byDetail(failedOut)})`);
    console.log(`DSR-down window          ${((dsrDown.back - dsrDown.at) / 1000).toFixed(1)} s: ${failedIn.length} failed of ${outcomes.filter(inWindow).length}  (${byDetail(failedIn)})`);
    console.log(`DSR RSS                  start ${start.rssMb} MB, before SIGKILL ${beforeKill.rssMb} MB; after restart, end ${end.rssMb} MB`);
    console.log(`DSR open fds             start ${start.fds}, before SIGKILL ${beforeKill.fds}; after restart, end ${end.fds}`);
    const kinds = (await (await fetch(`${url}/events?since=0&limit=10000`)).json()) as { events: Array<{ kind: string }> };
    const kindCounts = [...kinds.events.reduce((m, e) => m.set(e.kind, (m.get(e.kind) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k}×${n}`).join(', ');
    console.log('failures by 5 s bucket (s from start: count, causes):');
    const buckets = new Map<number, Outcome[]>();
    for (const o of failed) buckets.set(Math.floor((o.end - began) / 5000) * 5, [...(buckets.get(Math.floor((o.end - began) / 5000) * 5) ?? []), o]);
    for (const [t, list] of [...buckets].sort((a, b) => a[0] - b[0])) console.log(`  ${String(t).padStart(4)}: ${list.length} (${byDetail(list)})`);
    console.log(`marks (s from start)     dockerd restart ${((engineRestart.at - began) / 1000).toFixed(0)}-${((engineRestart.back - began) / 1000).toFixed(0)}, DSR down ${((dsrDown.at - began) / 1000).toFixed(0)}-${((dsrDown.back - began) / 1000).toFixed(0)}`);
    console.log(`event kinds              ${kindCounts}`);
    console.log(`events                   ${logged.length} in the log (ids ${logged[0] ?? '-'}..${logged.at(-1) ?? '-'}), ${gaps} gaps; follower (${follower.reconnects()} reconnects) missed ${missed}, duplicated ${duplicated}`);
  } finally {
    await cleanup();
  }
}

await main();

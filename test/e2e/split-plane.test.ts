// The data plane outlives the control plane (issue 15), on a real `dsr run` with two gateway
// workers and 50 non-idempotent POSTs per second through the gateway: `dsr reload` fails none;
// a SIGKILLed controller fails none, and a commit made while it is down is applied after its
// restart; a SIGKILLed worker fails at most the requests it had in flight; a cold start with the
// services already running answers no 404 from its first accepted connection.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo } from '../helpers/git-repo.js';
import { DSR_BIN, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { failed, startLoad, type Outcome } from '../helpers/load.js';
import { waitFor } from '../helpers/wait.js';

function web(replicas: number): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: web
spec:
  port: 8080
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 2, startPeriod: 0s }
  versions:
    - { name: v1, image: "dsr-example:v1", replicas: ${replicas} }
`;
}

// Asynchronous on purpose: a synchronous child (spawnSync) would stall this process's event loop,
// and the load's own sockets would then time out or race keep-alive closes: failures of the test,
// not of DSR.
const run = promisify(execFile);

/** Load sent for this long: bounded, 50 POST/s. */
const LOAD_MS = 15_000;

describeDocker('split processes: supervisor, controller, gateway workers', () => {
  const owner = uniqueOwner('sp');
  const repo = new GitRepo('dsr-split-');
  const data = mkdtempSync(join(tmpdir(), 'dsr-split-data-'));
  const token = 'split-plane-token';
  const env = { DSR_OWNER: owner, DSR_TOKEN: token, DSR_GATEWAY_WORKERS: '2' };
  let port = 0;
  let proc: DsrProcess | null = null;
  const pid = (role: string): number => Number(readFileSync(join(data, 'run', `${role}.pid`), 'utf8').trim());
  const workerPids = (): number[] => readdirSync(join(data, 'run')).filter((f) => /^gateway-\d+\.pid$/.test(f)).map((f) => pid(f.slice(0, -4))).sort();
  const instances = async (): Promise<number> => (await run('docker', ['ps', '-q', '--filter', `label=dsr.owner=${owner}`, '--filter', 'label=dsr.service=web'])).stdout.trim().split('\n').filter(Boolean).length;
  const eventsOf = async (kind: string): Promise<Array<{ message: string; data: Record<string, unknown> }>> => {
    const res = await fetch(`${proc!.url}/events?kind=${kind}`).catch(() => null);
    if (!res?.ok) return [];
    return ((await res.json()) as { events: Array<{ message: string; data: Record<string, unknown> }> }).events;
  };
  const load = () => startLoad(`${proc!.url}/gateway/web/version`, { rps: 50, maxDurationMs: LOAD_MS, method: 'POST' });
  const summary = (outcomes: Outcome[]): string => {
    const bad = outcomes.filter(failed);
    return `${outcomes.length} requests, ${bad.length} failed${bad.length ? `: ${JSON.stringify(bad.slice(0, 5))}` : ''}`;
  };

  before(async () => {
    repo.write('web.yaml', web(2));
    repo.commit('web v1 x2');
    port = await freePort();
    proc = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    await waitFor('web to answer through the gateway', async () => (await fetch(`${proc!.url}/gateway/web/version`).catch(() => null))?.ok === true, 90_000, 200);
    await waitFor('two gateway workers', () => workerPids().length === 2, 30_000);
  });

  after(async () => {
    if (process.env.DSR_TEST_DEBUG) console.log(proc?.output());
    await proc?.kill('SIGKILL');
    // The children leave when their supervisor's channel closes; make sure, by pid file.
    for (const f of existsSync(join(data, 'run')) ? readdirSync(join(data, 'run')).filter((n) => n.endsWith('.pid')) : []) {
      try {
        process.kill(pid(f.slice(0, -4)), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await cleanupOwner(owner);
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('runs as a supervisor, a controller and two gateway workers, each with its process title', () => {
    const titles = execFileSync('ps', ['-o', 'pid=,args=', '-p', [pid('supervisor'), pid('controller'), ...workerPids()].join(',')], { encoding: 'utf8' });
    assert.match(titles, new RegExp(`${pid('supervisor')} dsr-supervisor`));
    assert.match(titles, new RegExp(`${pid('controller')} dsr-controller`));
    for (const w of workerPids()) assert.match(titles, new RegExp(`${w} dsr-gateway`));
  });

  it('`dsr reload` under 50 POST/s fails no request and replaces every process', { timeout: 180_000 }, async () => {
    const before = { controller: pid('controller'), workers: workerPids() };
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1500));
    await run(process.execPath, [DSR_BIN, 'reload'], { env: { ...process.env, DSR_URL: proc!.url, DSR_TOKEN: token }, timeout: 60_000 });
    await waitFor('the dsr.reloaded event', async () => (await eventsOf('dsr.reloaded')).length === 1, 150_000, 250);
    const outcomes = await traffic.stop();
    console.log(`reload: ${summary(outcomes)}`);
    assert.equal(outcomes.filter(failed).length, 0, summary(outcomes));
    assert.ok(outcomes.length >= 100, summary(outcomes));
    const [event] = await eventsOf('dsr.reloaded');
    assert.deepEqual((event!.data['to'] as { controller: string }).controller, (event!.data['from'] as { controller: string }).controller, 'same code on disk: same version');
    assert.notEqual(pid('controller'), before.controller);
    assert.equal(workerPids().length, 2);
    for (const w of workerPids()) assert.ok(!before.workers.includes(w), 'every worker was replaced');
  });

  it('a SIGKILLed controller fails no request, and a commit made while it is down is applied after its restart', { timeout: 180_000 }, async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1000));
    const killed = pid('controller');
    process.kill(killed, 'SIGKILL');
    repo.write('web.yaml', web(3));
    repo.commit('web v1 x3 while the controller is down');
    await waitFor('the controller to be restarted', async () => {
      const now = existsSync(join(data, 'run', 'controller.pid')) ? pid('controller') : killed;
      return now !== killed && (await eventsOf('dsr.controller.restarted')).length === 1;
    }, 120_000, 250);
    await waitFor('the commit to be applied: 3 instances', async () => (await instances()) === 3, 60_000, 250);
    const outcomes = await traffic.stop();
    console.log(`controller SIGKILL: ${summary(outcomes)}`);
    assert.equal(outcomes.filter(failed).length, 0, summary(outcomes));
  });

  it('a SIGKILLed gateway worker is replaced; only requests it had in flight may fail', { timeout: 120_000 }, async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1500));
    const [victim] = workerPids();
    const killedAt = Date.now();
    process.kill(victim!, 'SIGKILL');
    await waitFor('a replacement worker', async () => workerPids().length === 2 && !workerPids().includes(victim!) && (await eventsOf('dsr.gateway.replaced')).length === 1, 90_000, 250);
    await new Promise((r) => setTimeout(r, 1500));
    const outcomes = await traffic.stop();
    const bad = outcomes.filter(failed);
    console.log(`worker SIGKILL: ${summary(outcomes)}`);
    // Only requests on connections the killed worker held may fail (in flight on it, or sent on
    // its kept-alive connection before this client saw the reset): cut connections, never an error
    // answer; every connection opened after the kill is served (50 ms: this client's own lag).
    console.log(`worker SIGKILL: ${bad.length} failed, sent ${bad.map((o) => o.at - killedAt).join(', ')} ms after the kill on connections opened ${bad.map((o) => (o.connectedAt ?? NaN) - killedAt).join(', ')} ms after it`);
    assert.ok(bad.every((o) => o.status === null && o.connectedAt !== undefined && o.connectedAt <= killedAt + 50), summary(outcomes));
    const later = outcomes.filter((o) => o.at > killedAt + 1000);
    assert.ok(later.length > 0 && later.every((o) => !failed(o)), 'everything sent a second after the kill was served');
  });

  it('a cold start with the services running answers no 404 from its first accepted connection', { timeout: 180_000 }, async () => {
    assert.equal(await proc!.kill('SIGTERM'), 0);
    assert.equal(await instances(), 3, 'the containers keep running');
    proc = null;
    const statuses: number[] = [];
    const starting = startDsr(['--manifests', repo.dir, '--data', data], env, port);
    // Probe from the first connection DSR accepts until its API answers (bounded by startDsr's wait).
    let done = false;
    const probing = (async () => {
      const deadline = Date.now() + 120_000;
      while (!done && Date.now() < deadline) {
        const res = await fetch(`http://127.0.0.1:${port}/gateway/web/version`, { method: 'POST' }).catch(() => null);
        if (res) {
          statuses.push(res.status);
          await res.arrayBuffer();
        } else await new Promise((r) => setTimeout(r, 20));
      }
    })();
    proc = await starting;
    done = true;
    await probing;
    console.log(`cold start: ${statuses.length} answers before the API was up: ${JSON.stringify(Object.fromEntries(statuses.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<number, number>())))}`);
    assert.ok(statuses.length > 0, 'the gateway answered before the controller was up');
    assert.ok(!statuses.includes(404), 'no 404 for a running service');
    assert.ok(statuses.every((s) => s === 200), `all answered by the running instances: ${statuses.join(',')}`);
  });
});

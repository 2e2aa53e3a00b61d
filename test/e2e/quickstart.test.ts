// The README's quick start, command for command, on a clean clone: `npm install && npm start`
// (which builds the example images), a canary rollout to v2 under the README's own load loop, and
// an automatic rollback of v3-broken. Each command run here is asserted to appear in README.md, so
// the two cannot drift. The load loop (`while sleep 0.1; do curl …; done &`, about 8 requests/s) is
// asserted to be the README's and replayed in-process at the same rate: sequential requests with
// a 100 ms sleep, each on a new connection, bounded in count and time, every outcome checked.
// (Two deliberate differences: DSR_PORT picks a free port instead of 8000, and DSR_OWNER keeps
// this run's containers apart from any other DSR on the machine.)
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { failed, startSequentialLoad } from '../helpers/load.js';
import { waitFor } from '../helpers/wait.js';
import { fetchOwnConnection } from '../helpers/fetch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const LOAD_LOOP = 'while sleep 0.1; do curl -s -o /dev/null http://127.0.0.1:8000/gateway/example/; done &';

interface Status {
  phase: string;
  stable: string | null;
  versions: Array<{ name: string; weight: number; ready: number }>;
  rollout: null | { phase: string; step: number; summary: string | null; abortReason: string | null };
}

interface LoggedEvent {
  kind: string;
  message: string;
  data: { step?: number };
}

describeDocker('the README quick start', () => {
  const owner = uniqueOwner('q');
  const dir = mkdtempSync(join(tmpdir(), 'dsr-quickstart-'));
  const clone = join(dir, 'dsr');
  let port = 0;
  let dsr: ChildProcess | null = null;
  let output = '';
  let started = false;
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env, DSR_FROM_SOURCES: undefined, DSR_OWNER: owner, DSR_PORT: String(port), DSR_URL: `http://127.0.0.1:${port}`,
    GIT_AUTHOR_NAME: 'quickstart', GIT_AUTHOR_EMAIL: 'q@dsr.invalid', GIT_COMMITTER_NAME: 'quickstart', GIT_COMMITTER_EMAIL: 'q@dsr.invalid',
  });
  /** Runs a README command in the clone (on this run's port), after checking the README really says it. */
  const step = (command: string): string => {
    assert.ok(readme.includes(command), `README.md does not contain the command: ${command}`);
    const run = command.replaceAll('127.0.0.1:8000', `127.0.0.1:${port}`);
    return execSync(run, { cwd: clone, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  };
  const status = async (): Promise<Status> => (await (await fetchOwnConnection(`http://127.0.0.1:${port}/api/services/example`)).json()) as Status;
  const events = async (kind: string, since: number): Promise<LoggedEvent[]> =>
    ((await (await fetchOwnConnection(`http://127.0.0.1:${port}/events?service=example&kind=${kind}&since=${since}&limit=1000`)).json()) as { events: LoggedEvent[] }).events;
  const lastEventId = async (): Promise<number> => ((await (await fetchOwnConnection(`http://127.0.0.1:${port}/events?limit=1`)).json()) as { lastId: number }).lastId;
  /** The README's load loop, replayed (see the header). */
  const readmeLoad = (maxDurationMs: number) => {
    assert.ok(readme.includes(LOAD_LOOP), `README.md does not contain the load loop: ${LOAD_LOOP}`);
    return startSequentialLoad(`http://127.0.0.1:${port}/gateway/example/`, { sleepMs: 100, maxDurationMs, maxRequests: Math.ceil(maxDurationMs / 100) });
  };

  after(async () => {
    if (dsr?.pid) {
      try {
        process.kill(-dsr.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await cleanupOwner(owner);
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs, builds the example images and starts DSR on the example manifests', { timeout: 300_000 }, async () => {
    execSync(`git clone -q ${JSON.stringify(root)} ${JSON.stringify(clone)}`);
    // `npm install && npm start`: install (--prefer-offline only saves time when the cache has it
    // all), which compiles dist/; then start, which builds the example images when missing.
    assert.ok(readme.includes('npm install && npm start'));
    execSync('npm install --prefer-offline --no-audit --no-fund', { cwd: clone, stdio: 'ignore', timeout: 300_000 });
    assert.ok(existsSync(join(clone, 'dist', 'cli', 'main.bundle.js')), 'npm install did not build dist/');
    port = await freePort();
    // detached: its own process group, so the whole npm -> tsx -> node chain is stopped at the end.
    dsr = spawn('npm', ['start'], { cwd: clone, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    dsr.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    dsr.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor('example Healthy', async () => (await status()).phase === 'Healthy', 90_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${output}`);
    });
    assert.match(output, /dsr-example:v1/, 'npm start did not build or keep the example images');
    const version = step('curl -s http://127.0.0.1:8000/gateway/example/version');
    assert.equal(JSON.parse(version).version, 'v1');
    assert.match(step('npx dsr status'), /^example\s+Healthy\s+v1=100%\s+2\/2/m);
    started = true;
  });

  it("rolls the example out to v2 under the README's load loop (~8 requests/s) with zero failed requests", { timeout: 200_000 }, async () => {
    assert.ok(started, 'DSR did not start (see the first test)');
    const since = await lastEventId();
    const traffic = readmeLoad(180_000);
    const begun = Date.now();
    step(`sed -i 's/name: v1/name: v2/; s/dsr-example:v1/dsr-example:v2/' manifests/example.yaml`);
    step('git commit -qam "example: v2"');
    const summaries = new Set<string>();
    await waitFor('v2 stable', async () => {
      const s = await status();
      if (s.rollout?.summary) summaries.add(s.rollout.summary);
      // An aborted rollout never becomes stable: fail at once with its reason instead of timing out.
      if (s.rollout?.phase === 'Aborted') throw new Error(`the rollout to v2 aborted: ${s.rollout.abortReason}`);
      return s.stable === 'v2' && s.rollout === null && s.phase === 'Healthy';
    }, 150_000, 500).catch((e: Error) => {
      throw new Error(`${e.message}\nstatus seen: ${[...summaries].join(' | ')}`);
    });
    const tookMs = Date.now() - begun;
    const outcomes = await traffic.stop();
    const rate = outcomes.length / ((Date.now() - begun) / 1000);
    console.log(`quick start v1 -> v2: ${(tookMs / 1000).toFixed(1)} s, ${outcomes.length} requests (${rate.toFixed(1)}/s), ${outcomes.filter(failed).length} failed`);
    console.log(`quick start v1 -> v2 status seen:\n  ${[...summaries].join('\n  ')}`);
    assert.equal(outcomes.filter(failed).length, 0);
    assert.ok(rate > 5 && rate < 10, `the replayed loop ran at ${rate.toFixed(1)} requests/s, not the README's ~8`);
    assert.match(step('npx dsr status example'), /stable:\s+v2/);
    const waits = (await events('analysis.inconclusive', since)).map((e) => e.data.step);
    console.log(`quick start v1 -> v2: waiting-for-traffic events at steps ${JSON.stringify(waits)}`);
    assert.deepEqual(waits, [...new Set(waits)], 'at most one waiting-for-traffic event per step');
    assert.deepEqual(await events('rollout.aborted', since), []);
  });

  it('rolls v3-broken back by itself', { timeout: 120_000 }, async () => {
    assert.ok(started, 'DSR did not start (see the first test)');
    const traffic = readmeLoad(100_000);
    step(`sed -i 's/name: v2/name: v3/; s/dsr-example:v2/dsr-example:v3-broken/' manifests/example.yaml`);
    step('git commit -qam "example: v3"');
    const aborted = await waitFor('v3 aborted', async () => {
      const s = await status();
      return s.rollout?.phase === 'Aborted' ? s : null;
    }, 90_000, 500);
    const outcomes = await traffic.stop();
    console.log(`quick start v2 -> v3-broken: ${outcomes.length} requests, ${outcomes.filter(failed).length} failed; ${aborted.rollout!.abortReason}`);
    assert.equal(aborted.phase, 'Degraded');
    assert.deepEqual(aborted.versions.map((v) => [v.name, v.weight]), [['v2', 100]]);
    assert.match(step('npx dsr status example'), /Degraded \(rollout of v3 aborted: analysis failed/);
    assert.match(step('npx dsr events --kind rollout.'), /rollout\.aborted/);
  });
});

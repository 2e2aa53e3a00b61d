// History and rollback end to end (SPEC §10), through a real `dsr run` and the `dsr` command:
// v1 then v2 roll out; `dsr rollback web` takes web back to v1 on the fast track under steady
// load through the gateway with zero failed requests; `dsr history web` shows the three
// revisions; the pin survives a DSR restart; a commit that changes web's manifest ends it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DsrEvent } from '../../src/events/types.js';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { execFile } from 'node:child_process';
import { DSR_BIN, dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { GitRepo } from '../helpers/git-repo.js';
import { failed, startLoad } from '../helpers/load.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fetchOwnConnection } from '../helpers/fetch.js';

interface Status {
  phase: string;
  message: string;
  stable: string | null;
  pinned?: string;
  versions: Array<{ name: string; weight: number; ready: number }>;
  rollout: null | { phase: string; canary: string; step: number; steps: number };
}

/** Steps with a long pause: a normal rollout would sit there, the fast track must not. */
function web(version: string, image: string, replicas = 2): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: web
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 2, startPeriod: 0s }
  versions:
    - name: ${version}
      image: ${image}
      replicas: ${replicas}
  rollout:
    steps: [{ setWeight: 50 }, { pause: 10m }]
    analysis: { interval: 1s, minRequests: 5, maxErrorRate: 0.1, maxLatencyP99: 2s, failureLimit: 2 }
    progressDeadline: 30s
`;
}

describeDocker('history and rollback', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-rollback-'));
  const token = 'rollback-token-123';
  const env = { DSR_OWNER: owner, DSR_TOKEN: token };
  let proc: DsrProcess;
  let port = 0;
  const revs: string[] = [];
  const status = async (): Promise<Status> => (await (await fetchOwnConnection(`${proc.url}/api/services/web`)).json()) as Status;
  const events = async (kind: string): Promise<DsrEvent[]> =>
    ((await (await fetchOwnConnection(`${proc.url}/events?kind=${kind}&limit=1000`)).json()) as { events: DsrEvent[] }).events;
  const cli = (...args: string[]) => dsr(args, { DSR_URL: proc.url, DSR_TOKEN: token });
  // Under load: spawnSync would stall this process's load generator for the CLI's whole run.
  const cliAsync = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((resolve) => {
    execFile(process.execPath, [DSR_BIN, ...args], { env: { ...process.env, DSR_URL: proc.url, DSR_TOKEN: token }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const settledOn = (version: string) => waitFor(`web settled on ${version}`, async () => {
    const s = await status();
    return s.phase === 'Healthy' && s.stable === version && s.rollout === null && s.versions.every((v) => v.ready === 2);
  }, 90_000, 200);

  before(async () => {
    // v1, then v2 promoted through its pause: two revisions that rolled out.
    repo.write('web.yaml', web('v1', 'dsr-test-web:v1'));
    revs.push(repo.commit('web v1'));
    port = await freePort();
    proc = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    await settledOn('v1');
    repo.write('web.yaml', web('v2', 'dsr-test-web:v2'));
    revs.push(repo.commit('web v2'));
    await waitFor('v2 paused at 50%', async () => (await status()).rollout?.step === 1, 60_000, 200);
    assert.equal(cli('promote', 'web', '--full').code, 0);
    await settledOn('v2');
  });
  after(async () => {
    await proc?.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('rolls web back to v1 under load with zero failed requests, and dsr history shows it', async () => {
    const traffic = startLoad(`${proc.url}/gateway/web/cgi-bin/whoami`, { rps: 50, maxDurationMs: 120_000 });
    await sleep(1000);
    const started = Date.now();
    const out = await cliAsync('rollback', 'web');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`pinned:\\s+to ${revs[0]!.slice(0, 12)} \\(rollback\\); dsr unpin web`));
    await settledOn('v1');
    const took = Date.now() - started;
    await sleep(1000);
    const outcomes = await traffic.stop();
    const bad = outcomes.filter(failed);
    const byVersion = (v: string): number => outcomes.filter((o) => !failed(o) && o.body.startsWith(v)).length;
    console.log(`rollback v2 -> v1 in ${took} ms: ${outcomes.length} requests, ${bad.length} failed, v1 ${byVersion('v1')}, v2 ${byVersion('v2')}`);
    assert.equal(bad.length, 0, bad.slice(0, 5).map((o) => `${o.status} ${o.error ?? o.body}`).join('\n'));
    assert.ok(byVersion('v1') > 0 && byVersion('v2') > 0);
    // The fast track skips the 10-minute pause of the manifest's steps.
    assert.ok(took < 180_000, `rollback took ${took} ms`);

    const s = await status();
    assert.equal(s.pinned, `pinned to ${revs[0]!.slice(0, 12)} (rollback)`);
    assert.match(s.message, /^pinned to [0-9a-f]{12} \(rollback\); /);
    const kinds = (await events('rollback.')).map((e) => e.kind);
    assert.deepEqual(kinds, ['rollback.started', 'rollback.completed']);

    const history = cli('history', 'web');
    assert.equal(history.code, 0, history.stderr);
    const rows = history.stdout.split('\n').filter((l) => /^[0-9a-f]{12} /.test(l)).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => [r[0], r[2], r[3]]), [
      [revs[0]!.slice(0, 12), 'v1=dsr-test-web:v1', 'rolled back'],
      [revs[1]!.slice(0, 12), 'v2=dsr-test-web:v2', 'rolled out'],
      [revs[0]!.slice(0, 12), 'v1=dsr-test-web:v1', 'rolled out'],
    ]);
    assert.match(history.stdout, new RegExp(`^web is pinned to ${revs[0]} \\(rollback\\)`));
  });

  it('keeps the pin across a DSR restart', async () => {
    await proc.kill('SIGTERM');
    proc = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    await settledOn('v1');
    await sleep(3000);
    const s = await status();
    assert.equal(s.stable, 'v1');
    assert.equal(s.rollout, null, 'no rollout back to v2 after the restart');
    assert.equal(s.pinned, `pinned to ${revs[0]!.slice(0, 12)} (rollback)`);
  });

  it('refuses a rollback without the token and to an unknown revision', () => {
    assert.notEqual(dsr(['rollback', 'web'], { DSR_URL: proc.url, DSR_TOKEN: 'wrong' }).code, 0);
    const unknown = cli('rollback', 'web', '--to', 'deadbeef');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no revision deadbeef in this service's history/);
  });

  it('dsr unpin returns to the manifest; a commit changing the manifest ends a pin', async () => {
    const out = cli('unpin', 'web');
    assert.equal(out.code, 0, out.stderr);
    // Back to the manifest (v2) through its normal steps: it pauses at 50%.
    await waitFor('v2 rolling out again', async () => (await status()).rollout?.canary === 'v2', 60_000, 200);
    assert.equal((await status()).pinned, undefined);
    assert.equal(cli('promote', 'web', '--full').code, 0);
    await settledOn('v2');

    assert.equal(cli('rollback', 'web', '--to', revs[0]!.slice(0, 7)).code, 0);
    await settledOn('v1');
    repo.write('web.yaml', web('v2', 'dsr-test-web:v2', 3));
    repo.commit('web v2 with 3 replicas');
    const unpinned = await waitFor('rollback.unpinned by the commit', async () => (await events('rollback.unpinned')).find((e) => (e.data as { reason?: string }).reason === 'manifest changed'), 30_000);
    assert.match(unpinned.message, /changes its manifest/);
    assert.equal((await status()).pinned, undefined);
  });
});

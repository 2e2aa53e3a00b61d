// Canary rollouts end to end, under steady load through the gateway of a real `dsr run`:
// a good version rolls out with zero failed requests, a version answering 500s is aborted by
// analysis with failures bounded by the canary's weight, a version that never becomes healthy is
// aborted at the deadline with zero failed requests, gates work with the token only, and a DSR
// killed mid-rollout resumes at the same step without restarting any container.
import { it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo } from '../helpers/git-repo.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { failed, startLoad } from '../helpers/load.js';
import { waitFor } from '../helpers/wait.js';
import { fetchOwnConnection } from '../helpers/fetch.js';

interface Status {
  phase: string;
  message: string;
  stable: string | null;
  versions: Array<{ name: string; weight: number; ready: number }>;
  rollout: null | { phase: string; step: number; weight: number; canary: string; summary: string | null; abortReason: string | null };
}

/** A manifest with quick rollout steps so the suite stays short. */
function web(version: string, image: string, steps = '[{ setWeight: 20 }, { pause: 3s }, { setWeight: 50 }, { pause: 2s }, { setWeight: 100 }]'): string {
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
      replicas: 2
  rollout:
    steps: ${steps}
    analysis: { interval: 1s, minRequests: 10, maxErrorRate: 0.1, maxLatencyP99: 2s, failureLimit: 1 }
    progressDeadline: 8s
`;
}

describeDocker('canary rollouts', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-rollout-'));
  const token = 'test-token-123';
  const env = { DSR_OWNER: owner, DSR_TOKEN: token };
  let dsrProc: DsrProcess;
  const containerIds = (): string[] =>
    execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();
  const status = async (): Promise<Status> => (await (await fetchOwnConnection(`${dsrProc.url}/api/services/web`)).json()) as Status;
  const commit = (version: string, image: string, steps?: string): void => {
    repo.write('web.yaml', web(version, image, steps));
    repo.commit(`web ${version}`);
  };
  const load = () => startLoad(`${dsrProc.url}/gateway/web/cgi-bin/whoami`, { rps: 100, maxDurationMs: 90_000 });
  const summarize = (outcomes: ReturnType<typeof load>['outcomes']) => {
    const byVersion = new Map<string, number>();
    for (const o of outcomes) if (!failed(o)) byVersion.set(o.body.split(' ')[0]!, (byVersion.get(o.body.split(' ')[0]!) ?? 0) + 1);
    return { total: outcomes.length, failed: outcomes.filter(failed), byVersion: Object.fromEntries(byVersion) };
  };

  before(async () => {
    commit('v1', 'dsr-test-web:v1');
    dsrProc = await startDsr(['--manifests', repo.dir, '--data', data], env, await freePort());
    await waitFor('v1 healthy', async () => (await status()).phase === 'Healthy', 30_000);
  });
  after(async () => {
    await dsrProc?.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('rolls v1 out to v2 under load with zero failed requests', async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1000));
    commit('v2', 'dsr-test-web:v2');
    const seenWeights = new Set<number>();
    await waitFor('rollout to v2 completed', async () => {
      const s = await status();
      if (s.rollout) seenWeights.add(s.rollout.weight);
      return s.phase === 'Healthy' && s.stable === 'v2' && s.rollout === null;
    }, 60_000, 200);
    await new Promise((r) => setTimeout(r, 1000));
    const result = summarize(await traffic.stop());
    console.log(`v1 -> v2: ${result.total} requests, ${result.failed.length} failed, by version ${JSON.stringify(result.byVersion)}, weights seen ${[...seenWeights].join(',')}`);
    assert.equal(result.failed.length, 0, result.failed.slice(0, 5).map((o) => `${o.status} ${o.error ?? o.body}`).join('\n'));
    assert.ok((result.byVersion.v1 ?? 0) > 0 && (result.byVersion.v2 ?? 0) > 0);
    assert.ok(seenWeights.has(20) || seenWeights.has(50), `intermediate weights seen: ${[...seenWeights]}`);
    await waitFor('only v2 containers left', async () => {
      const names = execFileSync('docker', ['ps', '--format', '{{.Names}}', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' });
      return !names.includes('-v1-') && names.split('\n').filter(Boolean).length === 2;
    }, 20_000);
  });

  it('aborts a rollout to a version answering 500s, with failures bounded by the canary weight', async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1000));
    commit('v3', 'dsr-test-web:broken');
    const aborted = await waitFor('rollout aborted', async () => {
      const s = await status();
      return s.rollout?.phase === 'Aborted' ? s : null;
    }, 60_000, 200);
    await waitFor('broken containers removed', async () => !execFileSync('docker', ['ps', '--format', '{{.Names}}', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' }).includes('-v3-'), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const result = summarize(await traffic.stop());
    console.log(`v2 -> broken: ${result.total} requests, ${result.failed.length} failed (${((100 * result.failed.length) / result.total).toFixed(1)}%), by version ${JSON.stringify(result.byVersion)}; abort: ${aborted.rollout!.abortReason}`);
    assert.match(aborted.rollout!.abortReason ?? '', /error rate|analysis/i);
    assert.equal(aborted.phase, 'Degraded');
    assert.ok(result.failed.length > 0, 'the broken canary did get some traffic');
    assert.ok(result.failed.every((o) => o.body.startsWith('broken')), 'every failed request was served by the canary');
    // The canary got at most 20% of the traffic while it ran, and fails ~40% of what it gets.
    assert.ok(result.failed.length <= result.total * 0.2, `failed ${result.failed.length} of ${result.total}`);
    const s = await status();
    assert.deepEqual(s.versions.map((v) => [v.name, v.weight]), [['v2', 100]]);
  });

  it('aborts a version that never becomes healthy at the deadline, with zero failed requests', async () => {
    const traffic = load();
    commit('v4', 'dsr-test-web:sick');
    const aborted = await waitFor('rollout aborted at the deadline', async () => {
      const s = await status();
      return s.rollout?.phase === 'Aborted' && s.rollout.canary === 'v4' ? s : null;
    }, 40_000, 200);
    const result = summarize(await traffic.stop());
    console.log(`v2 -> never healthy: ${result.total} requests, ${result.failed.length} failed; abort: ${aborted.rollout!.abortReason}`);
    assert.match(aborted.rollout!.abortReason ?? '', /healthy/);
    assert.equal(result.failed.length, 0);
  });

  it('holds at pause: {} until promoted with the token, and refuses without it', async () => {
    // Steps need passing analyses, so traffic flows throughout (its failures are not judged here:
    // DSR is killed and restarted in the middle).
    let traffic = load();
    commit('v5', 'dsr-test-web:v1', '[{ setWeight: 30 }, { pause: {} }, { setWeight: 100 }]');
    let last: Status | null = null;
    const paused = await waitFor('paused at step 2', async () => {
      const s = (last = await status());
      return s.phase === 'Paused' && s.rollout?.weight === 30 ? s : null;
    }, 30_000, 200).catch((error: Error) => {
      throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
    });
    assert.equal(paused.rollout!.step, 2);
    const noToken = dsr(['promote', 'web'], { DSR_URL: dsrProc.url, DSR_TOKEN: '' });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /DSR_TOKEN/);
    const wrong = dsr(['promote', 'web'], { DSR_URL: dsrProc.url, DSR_TOKEN: 'wrong' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /token refused/);
    assert.equal((await status()).rollout?.weight, 30, 'a refused promote changes nothing');

    // A DSR killed here resumes at the same step, with the same weights, restarting nothing.
    const ids = containerIds();
    await traffic.stop();
    await dsrProc.kill('SIGKILL');
    dsrProc = await startDsr(['--manifests', repo.dir, '--data', data], env, await freePort());
    traffic = load();
    const resumed = await waitFor('resumed paused', async () => {
      const s = await status();
      return s.phase === 'Paused' ? s : null;
    }, 30_000, 200);
    assert.equal(resumed.rollout!.step, 2);
    assert.equal(resumed.rollout!.weight, 30);
    assert.deepEqual(resumed.versions.map((v) => [v.name, v.weight]), [[paused.stable, 70], ['v5', 30]]);
    assert.deepEqual(containerIds(), ids, 'no container was restarted or replaced');

    const ok = dsr(['promote', 'web'], { DSR_URL: dsrProc.url, DSR_TOKEN: token });
    assert.equal(ok.code, 0, ok.stderr);
    await waitFor('v5 stable', async () => (await status()).stable === 'v5', 30_000, 200);
    await traffic.stop();
  });

  it('rolls a fix out while the stable version crash-loops (the breakage never blocks its fix)', async () => {
    const mended = (version: string, image: string): string => web(version, image, '[{ setWeight: 50 }, { setWeight: 100 }]').replace('name: web', 'name: mended');
    repo.write('mended.yaml', mended('v1', 'dsr-test-web:crash'));
    repo.commit('mended v1 (crashes)');
    const mendedStatus = async (): Promise<Status> => (await (await fetchOwnConnection(`${dsrProc.url}/api/services/mended`)).json()) as Status;
    await waitFor('mended crash-looping', async () => (await mendedStatus()).phase === 'Degraded', 40_000, 200);
    const traffic = startLoad(`${dsrProc.url}/gateway/mended/cgi-bin/whoami`, { rps: 50, maxDurationMs: 60_000 });
    repo.write('mended.yaml', mended('v2', 'dsr-test-web:v2'));
    repo.commit('mended v2 (the fix)');
    await waitFor('the fix rolled out', async () => {
      const s = await mendedStatus();
      return s.stable === 'v2' && s.rollout === null && s.phase === 'Healthy';
    }, 60_000, 200);
    const outcomes = await traffic.stop();
    const served = outcomes.filter((o) => o.status === 200).length;
    console.log(`fix over a crash-looping stable: ${outcomes.length} requests, ${served} served by the fix`);
    assert.ok(served > 0);
  });
});

// `dsr rollout watch` as a deploy script uses it: it prints the rollout's progress as plain lines
// (stdout is a pipe here, not a terminal) and exits 0 when the rollout completes, 1 when it aborts.
// Both ends are driven by the operator gates (promote --full, abort), so no timing is guessed.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { DSR_BIN, dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'watch-token-21b9';

/** web at `version`, with a gate first: the rollout waits at step 1 until promoted (or aborted). */
function gated(version: string): string {
  return `${manifest('web', { image: `dsr-test-web:${version === 'v3' ? 'v1' : version}`, version, replicas: 1, interval: '500ms' })}  rollout:
    steps: [{ pause: {} }, { setWeight: 50 }]
    progressDeadline: 60s
`;
}

/** Runs `dsr rollout watch web` until it exits; `output()` is what it printed so far. */
function watch(url: string): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, [DSR_BIN, 'rollout', 'watch', 'web'], { env: { ...process.env, DSR_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve(code);
  }));
  return { output: () => out, exited };
}

describeDocker('dsr rollout watch', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-watch-'));
  let proc: DsrProcess;
  const rollout = async (): Promise<{ phase: string; canary: string } | null> =>
    ((await (await fetch(`${proc.url}/api/services/web`)).json()) as { rollout: { phase: string; canary: string } | null }).rollout;

  before(async () => {
    repo.write('web.yaml', manifest('web', { replicas: 1, interval: '500ms' }));
    repo.commit('web v1');
    proc = await startDsr(['--manifests', repo.dir, '--data', data], { DSR_OWNER: owner, DSR_TOKEN: TOKEN }, await freePort());
    await waitFor('web v1 running', async () => (await rollout()) === null && (await (await fetch(`${proc.url}/api/services/web`)).json() as { phase: string }).phase === 'Healthy', 40_000);
  });

  after(async () => {
    await proc?.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('exits 0 at once when no rollout is in progress', { timeout: 60_000 }, async () => {
    const w = watch(proc.url);
    assert.equal(await w.exited, 0);
    assert.match(w.output(), /no rollout in progress/);
  });

  it('prints the progress and exits 0 when the rollout completes', { timeout: 150_000 }, async () => {
    repo.write('web.yaml', gated('v2'));
    repo.commit('web v2');
    await waitFor('the v2 rollout at its gate', async () => (await rollout())?.phase === 'Paused', 60_000, 250);
    const w = watch(proc.url);
    await waitFor('the watch to show the paused rollout', () => /web \w+ rollout v2 Paused step \d\/2 v1=100% v2=0%/.test(w.output()), 40_000);
    const promoted = dsr(['promote', 'web', '--full'], { DSR_URL: proc.url, DSR_TOKEN: TOKEN });
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.equal(await w.exited, 0, w.output());
    assert.match(w.output(), /rollout of v2 completed/);
    assert.doesNotMatch(w.output(), /\x1b\[/, 'no terminal escapes when stdout is not a terminal');
  });

  it('exits 1 when the rollout aborts', { timeout: 150_000 }, async () => {
    repo.write('web.yaml', gated('v3'));
    repo.commit('web v3');
    await waitFor('the v3 rollout at its gate', async () => (await rollout())?.phase === 'Paused', 60_000, 250);
    const w = watch(proc.url);
    await waitFor('the watch to show the paused rollout', () => /rollout v3 Paused/.test(w.output()), 40_000);
    const aborted = dsr(['abort', 'web'], { DSR_URL: proc.url, DSR_TOKEN: TOKEN });
    assert.equal(aborted.code, 0, aborted.stderr);
    assert.equal(await w.exited, 1, w.output());
    assert.match(w.output(), /rollout of v3 aborted/);
  });
});

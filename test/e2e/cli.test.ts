// The CLI as a user drives it: `dsr validate`, `dsr plan`, `dsr run`, `dsr status`, `dsr events`,
// including DSR killed with SIGKILL and restarted (it must adopt, not restart, its containers).
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

interface Inspected {
  Id: string;
  State: { StartedAt: string; Running: boolean };
  RestartCount: number;
}
const inspect = (ids: string[]): Inspected[] => JSON.parse(execFileSync('docker', ['inspect', ...ids], { encoding: 'utf8' })) as Inspected[];

describeDocker('dsr command line', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-e2e-data-'));
  const env = { DSR_OWNER: owner };
  const processes: DsrProcess[] = [];
  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('dsr validate accepts the example manifests shipped in manifests/', () => {
    const r = dsr(['validate', fileURLToPath(new URL('../../manifests', import.meta.url))]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 service valid in 1 file/);
  });

  it('dsr validate exits 0 on a clean folder and 1 naming file, line and column on a bad one', () => {
    repo.write('web.yaml', manifest('web', { replicas: 2 }));
    repo.commit('web');
    const ok = dsr(['validate', repo.dir]);
    assert.equal(ok.code, 0, ok.stderr);
    repo.write('bad.yaml', manifest('bad').replace('replicas: 1', 'replicas: -1'));
    const bad = dsr(['validate', repo.dir]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.yaml:\d+:\d+ spec\.versions\[0\]\.replicas/);
    const json = dsr(['validate', '--json', repo.dir]);
    assert.equal(json.code, 1);
    assert.equal((JSON.parse(json.stdout) as { ok: boolean }).ok, false);
    assert.equal(dsr(['validate', join(repo.dir, 'missing')]).code, 2);
    assert.equal(dsr(['validate', '--no-such-flag']).code, 2);
    rmSync(join(repo.dir, 'bad.yaml'));
  });

  it('dsr plan exits 3 with the pending creations before DSR runs', () => {
    const plan = dsr(['plan', repo.dir], env);
    assert.equal(plan.code, 3, plan.stderr + plan.stdout);
    assert.match(plan.stdout, /2 change\(s\) pending/);
    assert.match(plan.stdout, /\+ create web\/v1#1/);
  });

  let first: DsrProcess;
  let ids: string[] = [];
  it('dsr run converges, and dsr status and dsr events show it', async () => {
    const port = await freePort();
    first = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    processes.push(first);
    await waitFor('web healthy', async () => {
      const res = await fetch(`${first.url}/api/services/web`);
      const body = (await res.json()) as { phase: string };
      return body.phase === 'Healthy';
    }, 30_000);
    const status = dsr(['status'], { DSR_URL: first.url });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^SERVICE\s+PHASE/m);
    assert.match(status.stdout, /^web\s+Healthy\s+v1=100%\s+2\/2/m);
    const events = dsr(['events', '--service', 'web'], { DSR_URL: first.url });
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, /instance\.created/);
    const plan = dsr(['plan', repo.dir], env);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /in sync/);
    ids = execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.equal(ids.length, 2);
  });

  it('after SIGKILL and a restart, DSR adopts every container with zero restarts', async () => {
    const before = inspect(ids);
    await first.kill('SIGKILL');
    const port = await freePort();
    const second = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    processes.push(second);
    await waitFor('web healthy again', async () => {
      const body = (await (await fetch(`${second.url}/api/services/web`)).json()) as { phase: string };
      return body.phase === 'Healthy';
    }, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const now = execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(now, ids, 'the same containers run');
    const after2 = inspect(ids);
    assert.deepEqual(after2.map((c) => c.State.StartedAt), before.map((c) => c.State.StartedAt), 'none was restarted');
    const created = dsr(['events', '--kind', 'instance.', '--json', '--limit', '100'], { DSR_URL: second.url });
    const kinds = created.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind);
    assert.equal(kinds.filter((k) => k === 'instance.created').length, 2, 'only the first start created containers');
    await second.kill('SIGTERM');
  });

  it('dsr status says clearly when DSR cannot be reached', async () => {
    const port = await freePort();
    const r = dsr(['status'], { DSR_URL: `http://127.0.0.1:${port}` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot reach DSR at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  });
});

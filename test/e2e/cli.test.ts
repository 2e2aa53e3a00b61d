// The CLI as a user drives it: `dsr validate`, `dsr plan`, `dsr run`, `dsr status`, `dsr events`,
// including DSR killed with SIGKILL and restarted (it must adopt, not restart, its containers).
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';
import { fetchOwnConnection } from '../helpers/fetch.js';

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
      const res = await fetchOwnConnection(`${first.url}/api/services/web`);
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
      const body = (await (await fetchOwnConnection(`${second.url}/api/services/web`)).json()) as { phase: string };
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

/** web at `version` from `image`, one replica, rolled out through `steps`. */
function rolled(version: string, image: string, steps: string): string {
  return `${manifest('web', { version, image, replicas: 1 })}  rollout:
    steps: ${steps}
`;
}

interface WebStatus {
  phase: string;
  stable: string | null;
  versions: Array<{ name: string; weight: number; ready: number }>;
  rollout: null | { phase: string; canary: string };
}

// `dsr plan` makes the decision `dsr run` makes (the same versionsToRun over <data>/state.json),
// and the gates work out of the box: a DSR started without DSR_TOKEN writes <data>/token and the
// CLI on the same host reads it.
describeDocker('dsr plan agrees with dsr run; gates without DSR_TOKEN', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-e2e-plan-'));
  // DSR_TOKEN empty counts as unset, whatever the environment of the test run holds.
  const env = { DSR_OWNER: owner, DSR_TOKEN: '' };
  const processes: DsrProcess[] = [];
  let current: DsrProcess;
  const start = async (): Promise<void> => {
    current = await startDsr(['--manifests', repo.dir, '--data', data], env, await freePort());
    processes.push(current);
  };
  const web = async (): Promise<WebStatus> => (await (await fetchOwnConnection(`${current.url}/api/services/web`)).json()) as WebStatus;
  const plan = () => dsr(['plan', '--data', data, repo.dir], env);
  const gate = (action: string, extra: Record<string, string> = {}) => dsr([action, 'web'], { DSR_URL: current.url, DSR_DATA: data, DSR_TOKEN: '', ...extra });
  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  let token = '';
  it('dsr run without DSR_TOKEN writes <data>/token (0600) and the dashboard says where it is, never what', async () => {
    repo.write('web.yaml', rolled('v1', 'dsr-test-web:v1', '[{ pause: {} }]'));
    repo.commit('web v1');
    await start();
    await waitFor('web healthy', async () => (await web()).phase === 'Healthy', 30_000);
    const file = join(data, 'token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    token = readFileSync(file, 'utf8').trim();
    assert.ok(token.length >= 32);
    const api = await (await fetchOwnConnection(`${current.url}/api/services`)).text();
    assert.match(api, new RegExp(`"token": "see ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on the host"`));
    assert.ok(!api.includes(token), 'the API never shows the token');
    const r = plan();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /in sync/);
  });

  it('during a v1 → v2 commit, dsr plan shows the canary starting beside v1, not a removal of v1', async () => {
    await current.kill('SIGTERM');
    repo.write('web.yaml', rolled('v2', 'dsr-test-web:v2', '[{ pause: {} }]'));
    repo.commit('web v2');
    const r = plan();
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /~ web: rollout v1 → v2 starts/);
    assert.match(r.stdout, /\+ create web\/v2#1 \(dsr-test-web:v2\)/);
    assert.doesNotMatch(r.stdout, /^\s+- remove/m, 'no removal of v1');
  });

  it('a restarted DSR reuses its token, and dsr plan follows the rollout it runs', async () => {
    await start();
    assert.equal(readFileSync(join(data, 'token'), 'utf8').trim(), token);
    await waitFor('the rollout paused with v2 ready', async () => {
      const s = await web();
      return s.rollout?.phase === 'Paused' && s.versions.find((v) => v.name === 'v2')?.ready === 1;
    }, 30_000);
    const r = plan();
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^1 change\(s\) pending/m);
    assert.match(r.stdout, /~ web: rollout v1 → v2 in progress: step 1\/1/);
    assert.doesNotMatch(r.stdout, /^\s+[-+] /m, 'no container action');
  });

  it('dsr promote with a wrong token fails and the rollout stays paused', async () => {
    const r = gate('promote', { DSR_TOKEN: 'wrong' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /token refused/);
    assert.equal((await web()).rollout?.phase, 'Paused');
  });

  it('dsr promote with no token in its environment advances the paused rollout (token read from <data>/token)', async () => {
    const r = gate('promote');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor('v2 stable and healthy', async () => {
      const s = await web();
      return s.phase === 'Healthy' && s.stable === 'v2' && s.rollout === null;
    }, 30_000);
  });

  it('dsr plan exits 0 on the converged host after the rollout to a new name', async () => {
    await waitFor('v1 removed', () => execFileSync('docker', ['ps', '-aq', '--filter', `label=dsr.owner=${owner}`, '--filter', 'label=dsr.version=v1'], { encoding: 'utf8' }).trim() === '', 30_000);
    const r = plan();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /in sync/);
  });

  it('dsr plan exits 0 after a same-name rollout (version id v2-<hash6>)', async () => {
    repo.write('web.yaml', rolled('v2', 'dsr-test-web:v1', '[]'));
    repo.commit('web v2 from another image');
    const done = await waitFor('the same-name rollout done', async () => {
      const s = await web();
      return s.phase === 'Healthy' && s.rollout === null && s.stable?.startsWith('v2-') ? s : null;
    }, 30_000);
    assert.match(done.stable!, /^v2-[0-9a-f]{6}$/);
    await waitFor('only the new instance left', () => execFileSync('docker', ['ps', '-aq', '--filter', `label=dsr.owner=${owner}`], { encoding: 'utf8' }).trim().split('\n').length === 1, 30_000);
    const r = plan();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /in sync/);
  });
});

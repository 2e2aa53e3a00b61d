// spec.secrets on the real engine, through `dsr run` (SPEC §8): the value of a secret file
// reaches the container's environment and nothing else (events, the API, DSR's output, any file
// under <data> but secrets/); a missing file holds only its service, with an event naming the
// path to create; a deleted file holds a running service without touching its containers; a
// changed file rolls the service to new containers carrying the new value; `dsr plan` agrees.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocker } from '../helpers/docker.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

function service(name: string, secret: string): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 3, startPeriod: 0s }
  secrets: [${secret}]
  rollout: { steps: [] }
  versions:
    - { name: v1, image: "dsr-test-web:v1", replicas: 1, env: { DB_PASSWORD: placeholder-from-git } }
`;
}

/** Every file under `dir` (recursively), except those under `skip`. */
function filesUnder(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    if (entry.isDirectory()) out.push(...filesUnder(path, skip));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describeDocker('spec.secrets (SPEC §8)', (env) => {
  const manifests = mkdtempSync(join(tmpdir(), 'dsr-secrets-m-'));
  const data = mkdtempSync(join(tmpdir(), 'dsr-secrets-d-'));
  const secrets = join(data, 'secrets');
  const token = 'secrets-token';
  const first = `first-${process.pid}-${Date.now()}-Zq9`;
  const second = `second-${process.pid}-${Date.now()}-Xw7`;
  let proc: DsrProcess;
  const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
  const containersOf = (name: string): string[] => docker('ps', '-q', '--no-trunc', '--filter', `label=dsr.owner=${env.owner}`, '--filter', `label=dsr.service=${name}`).split('\n').filter(Boolean);
  const api = async (path: string): Promise<string> => (await fetch(`${proc.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
  const status = async (name: string): Promise<{ phase: string; message?: string; issue?: string | null; versions: Array<{ ready: number }> }> => JSON.parse(await api(`/api/services/${name}`));
  const healthyWithOne = async (name: string): Promise<boolean> => {
    const s = await status(name);
    return s.phase === 'Healthy' && s.versions.length === 1 && s.versions[0]!.ready === 1 && containersOf(name).length === 1;
  };
  const envOf = (id: string): string => docker('exec', id, 'env');

  before(async () => {
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 's1.env'), `# the database\nexport DB_PASSWORD="${first}"\n`);
    writeFileSync(join(manifests, 'web.yaml'), service('web', 's1'));
    writeFileSync(join(manifests, 'lone.yaml'), service('lone', 'not-there'));
    proc = await startDsr(['--manifests', manifests, '--data', data, '--source', 'worktree'], { DSR_OWNER: env.owner, DSR_TOKEN: token }, await freePort());
    await waitFor('web healthy', () => healthyWithOne('web'), 60_000, 250);
  });
  after(async () => {
    await proc?.kill('SIGKILL');
    rmSync(manifests, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('puts the secret value into the container, over the manifest env of the same name', () => {
    const [id] = containersOf('web');
    assert.match(envOf(id!), new RegExp(`^DB_PASSWORD=${first}$`, 'm'));
  });

  it('holds only the service whose file is missing, with an event naming the path to create', async () => {
    const path = join(secrets, 'not-there.env');
    await waitFor('secret.missing event', async () => (await api('/events?kind=secret.')).includes(path), 20_000, 250);
    const lone = await status('lone');
    assert.equal(lone.phase, 'Degraded');
    assert.ok(JSON.stringify(lone).includes(path), JSON.stringify(lone));
    assert.deepEqual(containersOf('lone'), []);
  });

  it('holds a running service whose file is deleted, keeping its container', async () => {
    const before = containersOf('web');
    unlinkSync(join(secrets, 's1.env'));
    await waitFor('web Degraded', async () => (await status('web')).phase === 'Degraded', 20_000, 250);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(containersOf('web'), before);
  });

  it('rolls the service to a new container when the file changes', async () => {
    const [old] = containersOf('web');
    writeFileSync(join(secrets, 's1.env'), `DB_PASSWORD='${second}'\n`);
    await waitFor('web on a new container', async () => {
      const ids = containersOf('web');
      return ids.length === 1 && ids[0] !== old && (await healthyWithOne('web'));
    }, 60_000, 250);
    const [id] = containersOf('web');
    assert.match(envOf(id!), new RegExp(`^DB_PASSWORD=${second}$`, 'm'));
    const events = await api('/events?kind=secret.&limit=100');
    assert.match(events, /"kind":\s*"secret\.missing"[^}]*"service":\s*"web"|"service":\s*"web"[^}]*"kind":\s*"secret\.missing"/, 'the deleted file was reported');
    assert.match(events, /web resumes: its secret file\(s\) s1 can be read/);
  });

  it('dsr plan reads the same folder: web in sync with its new secret, lone held, no value printed', () => {
    const plan = dsr(['plan', '--data', data, '--source', 'worktree', manifests], { DSR_OWNER: env.owner });
    const out = plan.stdout + plan.stderr;
    assert.equal(plan.code, 3, out);
    assert.match(plan.stdout, /1 change\(s\) pending/, out);
    assert.ok(plan.stdout.includes(`~ lone: held until its secrets can be read: secret "not-there" is missing: create ${join(secrets, 'not-there.env')}`), out);
    assert.doesNotMatch(plan.stdout, /web/, out);
    for (const value of [first, second]) assert.equal(out.includes(value), false);
  });

  it('never shows a value in events, the API, DSR\'s output or any file under <data> but secrets/', async () => {
    const places: Array<[string, string]> = [
      ['GET /events', await api('/events?limit=1000')],
      ['GET /api/services', await api('/api/services')],
      ["DSR's stdout+stderr", proc.output()],
      ...filesUnder(data, secrets).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
    ];
    assert.ok(places.length > 3, 'the data folder has files');
    for (const [where, text] of places) {
      for (const value of [first, second]) assert.equal(text.includes(value), false, `${where} contains a secret value`);
    }
  });
});

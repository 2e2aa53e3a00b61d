// The README's "Run a real stack" (examples/stack/) on the real engine: `dsr validate` accepts its
// manifests; DSR's image (built offline) runs them from a git repository on a network this test
// creates, with the secret file written under <data>/secrets. Checked: every service becomes
// Healthy, the api and the worker only after the store (dependsOn); the api answers through the
// gateway using the store (which it calls at $DSR_GATEWAY_URL/store/) and the worker processes its
// jobs; the store's data on its
// named volume survives a killed store replaced by DSR and a committed version change (Recreate);
// the secret's value appears nowhere in /events, /api/services, DSR's output or the files under
// <data> other than secrets/; the store, which gets its token only from that secret, refuses a call
// without it (401) and answers one with it. Traffic: the test to DSR's port published on 127.0.0.1, the
// containers to each other on the test's network. Cost: building DSR's image offline takes 60-90 s
// on 2 busy cores (the stack's images are kept when up to date), the stack part about 60 s.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDocker, testLabels } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const IMAGE = 'dsr:stack-test';
const MANIFESTS = 'examples/stack/manifests';
/** The uid DSR runs as in its image (Dockerfile): it must read <data>/secrets and write <data>. */
const DSR_UID = 10001;

interface ServiceStatus {
  name: string;
  phase: string;
  stable: string | null;
  rollout: null | { phase: string; abortReason: string | null };
}

/** GET with a ref'd deadline (node:test cancels a test whose loop goes idle), null on failure. */
async function get(url: string, init: RequestInit = {}, timeoutMs = 5000): Promise<Response | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: abort.signal });
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Every file under dir, recursively, except those in a folder named `skip`. */
function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === skip ? [] : filesUnder(path, skip);
    return e.isFile() ? [path] : [];
  });
}

describeDocker('the README real stack (examples/stack)', (env) => {
  const owner = env.owner;
  const network = `dsr-stack-${owner}`;
  const dsrName = `dsr-stack-${owner}-dsr`;
  const dir = mkdtempSync(join(tmpdir(), 'dsr-stack-'));
  const repo = join(dir, 'repo');
  const data = join(dir, 'data');
  const token = randomBytes(16).toString('hex');
  let port = 0;
  let started = false;
  const base = () => `http://127.0.0.1:${port}`;
  const git = (...args: string[]) => execFileSync('git', args, {
    cwd: repo, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'stack', GIT_AUTHOR_EMAIL: 's@dsr.invalid', GIT_COMMITTER_NAME: 'stack', GIT_COMMITTER_EMAIL: 's@dsr.invalid' },
  });
  const services = async (): Promise<ServiceStatus[]> => {
    const res = await get(`${base()}/api/services`);
    return res?.ok ? ((await res.json()) as { services: ServiceStatus[] }).services : [];
  };
  const dsrLogs = () => execFileSync('bash', ['-c', `docker logs ${dsrName} 2>&1`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

  before(async () => {
    const t = Date.now();
    execFileSync('bash', ['scripts/build-stack-images.sh'], { cwd: root, stdio: 'pipe', timeout: 240_000 });
    execFileSync('bash', ['scripts/build-dsr-image.sh', '--offline'], { cwd: root, env: { ...process.env, DSR_IMAGE: IMAGE }, stdio: 'pipe', timeout: 240_000 });
    console.log(`example-stack test: stack and DSR images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // The manifests in a git repository of their own (the README commits a change to them).
    mkdirSync(repo);
    cpSync(join(root, MANIFESTS), join(repo, MANIFESTS), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'the example stack');
    // The README's secret file, under DSR's data folder.
    assert.ok(readme.includes('> data/stack/secrets/store.env'), 'README.md shows writing the secret file');
    mkdirSync(join(data, 'secrets'), { recursive: true });
    writeFileSync(join(data, 'secrets', 'store.env'), `STORE_TOKEN=${token}\n`, { mode: 0o600 });
    for (const path of [data, join(data, 'secrets'), join(data, 'secrets', 'store.env')]) chownSync(path, DSR_UID, DSR_UID);
    await env.docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: testLabels(owner) });
    port = await freePort();
    const dsr = await env.docker.createContainer({
      name: dsrName,
      Image: IMAGE,
      Cmd: ['run', '--manifests', `/repo/${MANIFESTS}`],
      Labels: testLabels(owner),
      Env: [`DSR_OWNER=${owner}`, `DSR_NETWORK=${network}`],
      ExposedPorts: { '8000/tcp': {} },
      HostConfig: {
        Binds: ['/var/run/docker.sock:/var/run/docker.sock', `${repo}:/repo`, `${data}:/data`],
        GroupAdd: [String(statSync('/var/run/docker.sock').gid)],
        NetworkMode: network,
        PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      },
    });
    await dsr.start();
  });

  after(async () => {
    if (process.env.DSR_TEST_VERBOSE === '1') console.log(await Promise.resolve().then(dsrLogs).catch(() => '(no logs)'));
    await env.docker.getContainer(dsrName).stop({ t: 20 }).catch(() => undefined);
    // describeDocker removes the containers and the network; the store's volume is this test's too.
    await env.docker.getContainer(dsrName).remove({ force: true }).catch(() => undefined);
    const volumes = await env.docker.listVolumes({ filters: { label: [`dsr.owner=${owner}`] } });
    for (const v of volumes.Volumes ?? []) await env.docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes dsr validate', { timeout: 60_000 }, () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'cli', 'main.ts'), 'validate', MANIFESTS], { cwd: root, encoding: 'utf8' });
    assert.match(out, /3 services valid in 3 files/);
  });

  it('brings store, api and worker to Healthy', { timeout: 150_000 }, async () => {
    const t = Date.now();
    await waitFor('store, api and worker Healthy', async () => {
      const all = await services();
      return ['store', 'api', 'worker'].every((name) => all.find((s) => s.name === name)?.phase === 'Healthy');
    }, 120_000, 1000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${JSON.stringify(await services())}\n${dsrLogs().slice(-4000)}`);
    });
    console.log(`example-stack test: every service Healthy ${((Date.now() - t) / 1000).toFixed(1)} s after DSR started`);
    // dependsOn: the api and the worker were created only after the store was up (and healthy).
    const inspect = async (service: string) => Promise.all((await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`, `dsr.service=${service}`] } }))
      .map(async (c) => env.docker.getContainer(c.Id).inspect()));
    const [store] = await inspect('store');
    const dependents = [...(await inspect('api')), ...(await inspect('worker'))];
    assert.equal(dependents.length, 3, 'two api instances and one worker');
    for (const c of dependents) assert.ok(Date.parse(c.Created) > Date.parse(store!.State.StartedAt), `${c.Name} was created before the store started`);
    started = true;
  });

  it('answers through the gateway using the store, and the worker processes a job', { timeout: 60_000 }, async () => {
    assert.ok(started, 'the stack did not start (see the previous test)');
    const put = await get(`${base()}/gateway/api/notes/first`, { method: 'PUT', body: 'hello' });
    assert.equal(put?.status, 200, `PUT a note: ${await put?.text()}`);
    const note = (await (await get(`${base()}/gateway/api/notes/first`))!.json()) as Record<string, string>;
    assert.deepEqual(note, { key: 'first', value: 'hello', api: 'v1', store: 'v1' });
    const job = (await (await get(`${base()}/gateway/api/jobs`, { method: 'POST', body: 'make me loud' }))!.json()) as { id: string };
    assert.ok(job.id, 'the api queued the job');
    const result = await waitFor('the worker did the job', async () => {
      const res = await get(`${base()}/gateway/api/jobs/${job.id}`);
      return res?.status === 200 ? ((await res.json()) as { result: string; worker: string }) : null;
    }, 30_000, 500);
    assert.equal(result.result, 'MAKE ME LOUD');
    assert.match(result.worker, /^v1@/);
  });

  it('delivers the secret: the store refuses a call without its token and answers one with it', { timeout: 30_000 }, async () => {
    assert.ok(started, 'the stack did not start (see the previous tests)');
    const without = await get(`${base()}/gateway/store/kv/first`);
    assert.equal(without?.status, 401, 'a call without the token is refused');
    const wrong = await get(`${base()}/gateway/store/kv/first`, { headers: { authorization: 'Bearer wrong' } });
    assert.equal(wrong?.status, 401, 'a call with another token is refused');
    const auth = { authorization: `Bearer ${token}` };
    const put = await get(`${base()}/gateway/store/kv/direct`, { method: 'PUT', body: 'with the token', headers: auth });
    assert.equal(put?.status, 200, `a write with the secret's token: ${await put?.text()}`);
    const read = await get(`${base()}/gateway/store/kv/direct`, { headers: auth });
    const body = (await read?.text()) ?? '';
    assert.equal(read?.status, 200, `a read with the secret's token: ${body}`);
    assert.equal((JSON.parse(body) as { value: string }).value, 'with the token');
  });

  it('keeps the store\'s data on its volume when DSR replaces a killed store', { timeout: 90_000 }, async () => {
    assert.ok(started, 'the stack did not start (see the previous tests)');
    const [killed] = await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`, 'dsr.service=store'] } });
    assert.ok(killed, 'the store has a running container');
    await env.docker.getContainer(killed.Id).kill();
    const t = Date.now();
    const note = await waitFor('the note, read through the api from a new store container', async () => {
      const [running] = await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`, 'dsr.service=store'] } });
      if (!running || running.Id === killed.Id) return null;
      const res = await get(`${base()}/gateway/api/notes/first`);
      return res?.status === 200 ? ((await res.json()) as Record<string, string>) : null;
    }, 60_000, 500);
    console.log(`example-stack test: killed store replaced and answering in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    assert.deepEqual(note, { key: 'first', value: 'hello', api: 'v1', store: 'v1' });
  });

  it('keeps the store\'s data on its volume across a committed version change (Recreate)', { timeout: 150_000 }, async () => {
    assert.ok(started, 'the stack did not start (see the previous tests)');
    const change = `sed -i 's/name: v1/name: v2/; s/dsr-stack-store:v1/dsr-stack-store:v2/' ${MANIFESTS}/store.yaml`;
    assert.ok(readme.includes(change), 'README.md shows the store version change');
    execFileSync('bash', ['-c', change], { cwd: repo });
    git('commit', '-qam', 'store: v2');
    const t = Date.now();
    await waitFor('store v2 stable and Healthy', async () => {
      const store = (await services()).find((s) => s.name === 'store');
      if (store?.rollout?.phase === 'Aborted') throw new Error(`the store's rollout aborted: ${store.rollout.abortReason}`);
      return store?.stable === 'v2' && store.rollout === null && store.phase === 'Healthy';
    }, 120_000, 1000);
    console.log(`example-stack test: store v1 -> v2 in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const note = await waitFor('the note, read through the api from store v2', async () => {
      const res = await get(`${base()}/gateway/api/notes/first`);
      return res?.status === 200 ? ((await res.json()) as Record<string, string>) : null;
    }, 30_000, 500);
    assert.deepEqual(note, { key: 'first', value: 'hello', api: 'v1', store: 'v2' });
    const volumes = await env.docker.listVolumes({ filters: { label: [`dsr.owner=${owner}`] } });
    assert.deepEqual((volumes.Volumes ?? []).map((v) => v.Name), [`dsr-${owner}-store-data`]);
  });

  it('shows the secret\'s value nowhere: not in /events, /api/services, DSR\'s output or <data>', { timeout: 30_000 }, async () => {
    assert.ok(started, 'the stack did not start (see the previous tests)');
    const events = await (await get(`${base()}/events?limit=10000`))!.text();
    assert.ok(events.includes('"events"'), 'read the event log');
    assert.ok(!events.includes(token), 'the token is in /events');
    const status = await (await get(`${base()}/api/services`))!.text();
    assert.ok(status.includes('"store"') && !status.includes(token), 'the token is in /api/services');
    assert.ok(!dsrLogs().includes(token), 'the token is in DSR\'s output');
    const leaks = filesUnder(data, 'secrets').filter((path) => readFileSync(path).includes(token));
    assert.deepEqual(leaks, [], 'files under <data> other than secrets/ hold the token');
  });
});

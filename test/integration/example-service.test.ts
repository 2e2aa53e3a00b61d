// The example service of the README (examples/example-service): its routes and FAIL_RATE run
// straight on node first, then the images scripts/build-example-images.sh builds (v1, v2,
// v3-broken) are run in Docker and asked what DSR and the README rely on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeDocker, testLabels, waitForHttp } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverJs = fileURLToPath(new URL('../../examples/example-service/server.js', import.meta.url));

/** GETs a path and returns status and parsed JSON body. */
async function get(base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Shares of 500s over n sequential requests to a path. */
async function errorShare(base: string, path: string, n: number): Promise<number> {
  let errors = 0;
  for (let i = 0; i < n; i++) if ((await fetch(`${base}${path}`).then((r) => r.arrayBuffer().then(() => r.status))) === 500) errors++;
  return errors / n;
}

describe('example service on node', () => {
  const children: ChildProcess[] = [];
  const start = async (env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> => {
    const port = await freePort();
    const child = spawn(process.execPath, [serverJs], { env: { ...process.env, PORT: String(port), ...env }, stdio: 'ignore' });
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`);
    return { base, child };
  };
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('answers /health, /version and / with the configured version and greeting', async () => {
    const { base } = await start({ VERSION: 'v7', GREETING: 'bonjour' });
    assert.deepEqual(await get(base, '/health'), { status: 200, body: { status: 'healthy' } });
    assert.deepEqual(await get(base, '/version'), { status: 200, body: { version: 'v7' } });
    const home = await get(base, '/');
    assert.equal(home.status, 200);
    assert.equal(home.body['message'], 'bonjour from v7');
    assert.equal((await get(base, '/nope')).status, 404);
  });

  it('holds /slow?ms=N for N ms', async () => {
    const { base } = await start({ VERSION: 'v1' });
    const t = Date.now();
    assert.deepEqual(await get(base, '/slow?ms=300'), { status: 200, body: { version: 'v1', waitedMs: 300 } });
    assert.ok(Date.now() - t >= 290, `answered after ${Date.now() - t} ms`);
  });

  it('with FAIL_RATE=0.3 fails about 30% of requests but never /health', async () => {
    const { base } = await start({ VERSION: 'v3-broken', FAIL_RATE: '0.3' });
    const share = await errorShare(base, '/version', 400);
    // 400 draws at p=0.3: the standard deviation is 2.3 points, so 0.2..0.4 is over 4 sigmas wide.
    assert.ok(share > 0.2 && share < 0.4, `error share ${share}`);
    assert.equal(await errorShare(base, '/health', 100), 0);
  });

  it('exits 0 on SIGTERM even with a keep-alive connection open', async () => {
    const { base, child } = await start({ VERSION: 'v1' });
    // fetch (undici) keeps its connection open after the answer: the server must not wait for it.
    await fetch(`${base}/version`).then((r) => r.arrayBuffer());
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describeDocker('example service images', (env) => {
  before(() => {
    execFileSync('bash', ['scripts/build-example-images.sh'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
  });

  /** Runs an image with its port published on 127.0.0.1 (random), labelled for cleanup. */
  const run = async (image: string): Promise<{ base: string; id: string }> => {
    const container = await env.docker.createContainer({
      Image: image,
      Labels: testLabels(env.owner),
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await container.start();
    const info = await container.inspect();
    const port = info.NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort;
    assert.ok(port, 'port 8080 is published');
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`, 15_000);
    return { base, id: container.id };
  };

  it('builds dsr-example:v1, :v2 and :v3-broken, and keeps them on a second run', () => {
    const again = execFileSync('bash', ['scripts/build-example-images.sh'], { cwd: root, encoding: 'utf8' });
    assert.match(again, /kept dsr-example:v1 \(up to date\)/);
    assert.match(again, /kept dsr-example:v2 \(up to date\)/);
    assert.match(again, /kept dsr-example:v3-broken \(up to date\)/);
  });

  it('v1 and v2 are healthy on port 8080 and name their version', async () => {
    for (const version of ['v1', 'v2']) {
      const { base } = await run(`dsr-example:${version}`);
      assert.deepEqual(await get(base, '/health'), { status: 200, body: { status: 'healthy' } });
      assert.deepEqual(await get(base, '/version'), { status: 200, body: { version } });
    }
  });

  it('v3-broken stays healthy but answers 500 on part of its requests', async () => {
    const { base } = await run('dsr-example:v3-broken');
    assert.equal(await errorShare(base, '/health', 50), 0);
    const share = await errorShare(base, '/', 300);
    assert.ok(share > 0.15 && share < 0.45, `error share ${share}`);
  });

  it('runs as an unprivileged user and stops at once on docker stop', async () => {
    const { id } = await run('dsr-example:v1');
    const container = env.docker.getContainer(id);
    assert.equal((await container.inspect()).Config.User, '65534');
    const t = Date.now();
    await container.stop({ t: 10 });
    const state = (await container.inspect()).State;
    assert.equal(state.ExitCode, 0);
    assert.ok(Date.now() - t < 5000, `docker stop took ${Date.now() - t} ms (SIGTERM ignored?)`);
  });
});

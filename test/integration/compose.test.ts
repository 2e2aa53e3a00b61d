// docker-compose.yml against the local engine: DSR's image built offline (the Dockerfile's
// `prebuilt` stage, scripts/build-dsr-image.sh --offline), the example image, then `up` with a
// temporary manifests folder, a unique owner and a free port; a request routed through DSR's
// gateway reaches an instance by name over the shared network `dsr`; `stop` is graceful; `down`
// and the owner's containers are removed. Images stay (a rebuild reuses their layers).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, testLabels, uniqueOwner } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'dsr:compose-test';
const DSR_UID = 10001;

/**
 * GET with a deadline, null on failure. Until DSR listens in the container, docker-proxy accepts
 * the connection and holds it without an answer; such a pending fetch keeps no timer alive, so
 * node:test would see an idle event loop. The (ref'd) timer bounds it and keeps the loop alive.
 */
async function get(url: string, timeoutMs = 2000): Promise<Response | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await fetch(url, { signal: abort.signal });
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** `docker compose` (v2) when the plugin is there, else `docker-compose` (v1). */
function composeCommand(): string[] {
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0 ? ['docker', 'compose'] : ['docker-compose'];
}

describeDocker('docker-compose.yml', (env) => {
  const owner = uniqueOwner('c');
  const project = `dsrcompose${owner}`;
  const dir = mkdtempSync(join(tmpdir(), 'dsr-compose-'));
  const manifests = join(dir, 'manifests');
  const data = join(dir, 'data');
  const [bin, ...pre] = composeCommand();
  let port = 0;
  let createdNetwork = false;
  let upped = false;
  const asRoot = process.getuid?.() === 0;
  const composeEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DSR_IMAGE: IMAGE,
    DSR_OWNER: owner,
    DSR_PUBLISHED_PORT: String(port),
    DSR_REPO_DIR: dir,
    DSR_DATA_DIR: data,
    DOCKER_GID: String(statSync('/var/run/docker.sock').gid),
    ...(asRoot ? {} : { DSR_USER: String(process.getuid?.()) }),
  });
  const compose = (...args: string[]): string =>
    execFileSync(bin!, [...pre, '-f', join(root, 'docker-compose.yml'), '-p', project, ...args], { env: composeEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const dsrContainer = async () => {
    const [c] = await env.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    assert.ok(c, 'the compose project has a container');
    return env.docker.getContainer(c.Id);
  };

  before(async () => {
    let t = Date.now();
    execFileSync('bash', ['scripts/build-dsr-image.sh', '--offline'], { cwd: root, env: { ...process.env, DSR_IMAGE: IMAGE }, stdio: 'pipe', timeout: 180_000 });
    console.log(`compose test: DSR image built offline in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    execFileSync('bash', ['scripts/build-example-images.sh'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
    console.log(`compose test: example images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'hello.yaml'), [
      'apiVersion: dsr/v1', 'kind: Service', 'metadata:', '  name: hello', 'spec:', '  port: 8080',
      '  health: { path: /health, interval: 1s }',
      '  versions:', '    - { name: v1, image: "dsr-example:v1", replicas: 1 }', '',
    ].join('\n'));
    // DSR runs as uid 10001: it reads the manifests and owns its data folder, as the README says.
    chmodSync(dir, 0o755);
    chmodSync(manifests, 0o755);
    mkdirSync(data);
    // As root, hand the folder to the image's dsr user; otherwise run DSR as this user (DSR_USER).
    if (asRoot) chownSync(data, DSR_UID, DSR_UID);
    // The shared network is external to the compose file (it outlives DSR's container).
    const networks = await env.docker.listNetworks({ filters: { name: ['dsr'] } });
    if (!networks.some((n) => n.Name === 'dsr')) {
      await env.docker.createNetwork({ Name: 'dsr', Driver: 'bridge', Labels: testLabels(owner) });
      createdNetwork = true;
    }
    port = await freePort();
  });

  after(async () => {
    if (upped) {
      try {
        compose('down', '--timeout', '30');
      } catch (err) {
        console.log(`compose down failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
      }
    }
    await cleanupOwner(owner, env.docker);
    if (createdNetwork) {
      // Only if nobody else joined it meanwhile.
      await env.docker.getNetwork('dsr').remove().catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes up as a healthy non-root container on the shared network', { timeout: 120_000 }, async () => {
    upped = true;
    compose('up', '-d', '--no-build');
    const url = `http://127.0.0.1:${port}`;
    const health = await waitFor('DSR /healthz', async () => {
      const res = await get(`${url}/healthz`);
      return res?.ok ? ((await res.json()) as { docker: string }) : null;
    }, 60_000, 250);
    assert.equal(health.docker, 'available', 'DSR reaches the engine through the mounted socket');
    const info = await (await dsrContainer()).inspect();
    assert.equal(info.Config.User, asRoot ? 'dsr' : String(process.getuid?.()));
    assert.ok(Object.keys(info.NetworkSettings.Networks).includes('dsr'));
    assert.deepEqual(info.HostConfig.PortBindings['8000/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    // The image's HEALTHCHECK (every 10 s) agrees.
    await waitFor('docker health status healthy', async () => (await (await dsrContainer()).inspect()).State.Health?.Status === 'healthy', 40_000, 500);
  });

  it('routes a request through the gateway to an instance reached by name', { timeout: 90_000 }, async () => {
    const url = `http://127.0.0.1:${port}/gateway/hello/version`;
    const body = await waitFor('the gateway to answer for hello', async () => {
      const res = await get(url);
      return res?.ok ? await res.json() : null;
    }, 60_000, 250);
    assert.deepEqual(body, { version: 'v1' });
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/services/hello`)).json()) as { instances: Array<{ address: string }> };
    assert.deepEqual(status.instances.map((i) => i.address), [`dsr-${owner}-hello-v1-1:8080`], 'the instance is addressed by container name');
    const instance = (await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`] } }))[0];
    assert.ok(instance && Object.keys(instance.NetworkSettings.Networks).includes('dsr'));
    assert.deepEqual(instance.Ports.filter((p) => p.PublicPort), [], 'no instance port is published on the host');
  });

  it('stops gracefully (exit 0) and leaves the instances running', { timeout: 60_000 }, async () => {
    compose('stop', '--timeout', '30');
    const state = (await (await dsrContainer()).inspect()).State;
    assert.equal(state.ExitCode, 0);
    const logs = compose('logs', '--no-color');
    assert.match(logs, /SIGTERM: shutting down/);
    const running = await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`], status: ['running'] } });
    assert.equal(running.length, 1);
  });
});

// The internal gateway listener (SPEC §8) against the local engine, in network mode: DSR's image
// (built offline, scripts/build-dsr-image.sh --offline) runs in a container on a network this test
// creates, with two versions of a service at 90/10. A caller container on that network, given the
// DSR_GATEWAY_URL an instance received, calls $DSR_GATEWAY_URL/split/version 200 times and gets
// the weighted split; the same listener refuses the API, metrics, dashboard and health routes; the
// gateway's metrics count those calls. Traffic: container to container on the test's network, and
// the test to DSR's API published on 127.0.0.1.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { describeDocker, testLabels } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'dsr:gateway-internal-test';
const CALLS = 200;

/** Runs in the caller container (node, ESM): the split over CALLS requests, then what the listener says outside /gateway/. */
const CALLER = `
const url = process.env.DSR_GATEWAY_URL;
const get = async (u) => { const r = await fetch(u, { signal: AbortSignal.timeout(5000) }); return { status: r.status, body: (await r.text()).trim() }; };
const counts = {};
for (let i = 0; i < ${CALLS}; i++) {
  const r = await get(url + '/split/version').catch((e) => ({ status: 0, body: String(e) }));
  const key = r.status === 200 ? r.body : 'HTTP ' + r.status + ' ' + r.body;
  counts[key] = (counts[key] ?? 0) + 1;
}
const refused = {};
const base = url.replace(/\\/gateway$/, '');
for (const path of ['/api/services', '/metrics', '/dashboard', '/healthz', '/', '/gatewayx/split/version']) refused[path] = await get(base + path);
console.log(JSON.stringify({ counts, refused }));
`;

/**
 * GET with a deadline, null on failure (DSR may not listen yet). Until DSR listens, docker-proxy
 * holds the connection without an answer; AbortSignal.timeout's timer is unref'd, so node:test
 * would see an idle loop and cancel the test: this timer is ref'd.
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

/** The output of a container that has exited: Docker's 8-byte frame headers (no TTY) stripped. */
async function stdoutOf(container: Dockerode.Container): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, follow: false });
  const chunks: Buffer[] = [];
  let buf = Buffer.from(raw);
  while (buf.length >= 8) {
    const size = buf.readUInt32BE(4);
    if (buf[0] === 1 || buf[0] === 2) chunks.push(buf.subarray(8, 8 + size));
    buf = buf.subarray(8 + size);
  }
  return Buffer.concat(chunks).toString('utf8');
}

describeDocker('internal gateway listener (DSR_GATEWAY_URL), DSR in a container, network mode', (env) => {
  const owner = env.owner;
  const network = `dsr-gw-${owner}`;
  const dsrName = `dsr-gw-${owner}-dsr`;
  const dir = mkdtempSync(join(tmpdir(), 'dsr-gw-internal-'));
  const manifests = join(dir, 'manifests');
  let port = 0;
  let gatewayUrl = '';

  before(async () => {
    const t = Date.now();
    execFileSync('bash', ['scripts/build-dsr-image.sh', '--offline'], { cwd: root, env: { ...process.env, DSR_IMAGE: IMAGE }, stdio: 'pipe', timeout: 240_000 });
    console.log(`gateway-internal test: DSR image built offline in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'split.yaml'), [
      'apiVersion: dsr/v1', 'kind: Service', 'metadata:', '  name: split', 'spec:', '  port: 80',
      '  health: { path: /health, interval: 1s }',
      '  versions:',
      '    - { name: v1, image: "dsr-test-web:v1", replicas: 1, weight: 90 }',
      '    - { name: v2, image: "dsr-test-web:v2", replicas: 1, weight: 10 }', '',
    ].join('\n'));
    // DSR runs as the image's uid 10001 and reads the mounted manifests.
    chmodSync(dir, 0o755);
    chmodSync(manifests, 0o755);
    await env.docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: testLabels(owner) });
    port = await freePort();
    const dsr = await env.docker.createContainer({
      name: dsrName,
      Image: IMAGE,
      Labels: testLabels(owner),
      Env: [`DSR_OWNER=${owner}`, `DSR_NETWORK=${network}`, 'DSR_SOURCE=worktree'],
      ExposedPorts: { '8000/tcp': {} },
      HostConfig: {
        Binds: ['/var/run/docker.sock:/var/run/docker.sock', `${manifests}:/manifests:ro`],
        GroupAdd: [String(statSync('/var/run/docker.sock').gid)],
        NetworkMode: network,
        PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      },
    });
    await dsr.start();
  });

  after(async () => {
    // Logs first, for a failure's diagnosis; cleanupOwner (describeDocker) removes DSR, the instances and the network.
    const logs = await stdoutOf(env.docker.getContainer(dsrName)).catch(() => '(no logs)');
    if (process.env.DSR_TEST_VERBOSE === '1') console.log(logs);
    await env.docker.getContainer(dsrName).stop({ t: 30 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every instance DSR_GATEWAY_URL with DSR container\'s name on the shared network', { timeout: 120_000 }, async () => {
    const status = await waitFor('both versions of split ready', async () => {
      const res = await get(`http://127.0.0.1:${port}/api/services/split`);
      const body = res?.ok ? ((await res.json()) as { versions: Array<{ name: string; weight: number; ready: number }> }) : null;
      return body && body.versions.length === 2 && body.versions.every((v) => v.ready >= 1) ? body : null;
    }, 90_000, 500);
    assert.deepEqual(status.versions.map((v) => [v.name, v.weight]), [['v1', 90], ['v2', 10]]);
    const instances = await env.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`] } });
    assert.equal(instances.length, 2);
    const urls = await Promise.all(instances.map(async (c) => (await env.docker.getContainer(c.Id).inspect()).Config.Env.find((e) => e.startsWith('DSR_GATEWAY_URL='))));
    assert.deepEqual(urls, Array(2).fill(`DSR_GATEWAY_URL=http://${dsrName}:7701/gateway`));
    gatewayUrl = `http://${dsrName}:7701/gateway`;
    // Internal only: the listener's port is not published on the host.
    const info = await env.docker.getContainer(dsrName).inspect();
    assert.equal(info.NetworkSettings.Ports['7701/tcp'], undefined);
  });

  it('routes a caller\'s $DSR_GATEWAY_URL/<service>/ calls 90/10, refuses everything else, and counts them in the metrics', { timeout: 120_000 }, async () => {
    assert.ok(gatewayUrl, 'the first test found the URL');
    const before = await requestsOf(port);
    const caller = await env.docker.createContainer({
      Image: 'dsr-test-node:latest',
      Cmd: ['node', '--input-type=module', '-e', CALLER],
      Env: [`DSR_GATEWAY_URL=${gatewayUrl}`],
      Labels: testLabels(owner),
      HostConfig: { NetworkMode: network },
    });
    await caller.start();
    let deadline: NodeJS.Timeout | undefined;
    const exit = (await Promise.race([caller.wait(), new Promise((_, fail) => { deadline = setTimeout(() => fail(new Error('the caller did not finish within 90 s')), 90_000); })])) as { StatusCode: number };
    clearTimeout(deadline);
    const out = await stdoutOf(caller);
    assert.equal(exit.StatusCode, 0, out);
    const result = JSON.parse(out.trim().split('\n').pop()!) as { counts: Record<string, number>; refused: Record<string, { status: number; body: string }> };
    console.log(`gateway-internal test: ${CALLS} calls through $DSR_GATEWAY_URL: ${JSON.stringify(result.counts)}`);
    assert.deepEqual(Object.keys(result.counts).sort(), ['v1', 'v2'], `only the two versions answered: ${JSON.stringify(result.counts)}`);
    const share = result.counts['v1']! / CALLS;
    assert.ok(share >= 0.85 && share <= 0.95, `v1 got ${(share * 100).toFixed(1)}% (want 90 ± 5)`);
    for (const [path, answer] of Object.entries(result.refused)) {
      assert.equal(answer.status, 404, `${path} is refused on the internal listener`);
      if (path !== '/gatewayx/split/version') assert.match(answer.body, /serves only \$DSR_GATEWAY_URL\/<service>/, `${path} says what the listener serves`);
    }
    const after = await requestsOf(port);
    assert.ok(after - before >= CALLS, `the gateway's metrics counted the internal calls (${before} -> ${after})`);
  });
});

/** dsr_gateway_requests_total summed over split's versions, from DSR's /metrics. */
async function requestsOf(port: number): Promise<number> {
  const res = await get(`http://127.0.0.1:${port}/metrics`, 5000);
  assert.ok(res?.ok, 'DSR serves /metrics on its main port');
  const text = await res.text();
  return text.split('\n').filter((l) => l.startsWith('dsr_gateway_requests_total{') && l.includes('service="split"')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

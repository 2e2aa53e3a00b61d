// The gateway in front of real containers (dsr-test-web:v1/v2, busybox httpd): the weighted split
// is exact, and a container killed under load costs no client a failed GET — passive ejection and
// retry alone handle it (no readmit, no new route table).
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import type Dockerode from 'dockerode';
import { describeDocker, testLabels, waitForHttp } from '../helpers/docker.js';
import type { RouteInstance } from '../../src/gateway/route-table.js';
import { startGateway } from './gateway-fixtures.js';
import type { TestGateway } from './gateway-fixtures.js';

const RUN_LABEL = `gateway-${randomBytes(4).toString('hex')}`;

interface Started {
  container: Dockerode.Container;
  instance: RouteInstance;
}

/** Runs an image with port 80 published on 127.0.0.1 and waits until it serves /health. */
async function run(docker: Dockerode, owner: string, image: string): Promise<Started> {
  const container = await docker.createContainer({
    Image: image,
    Labels: { ...testLabels(owner), 'dsr.test': RUN_LABEL },
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  await container.start();
  const info = await container.inspect();
  const port = Number(info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
  assert.ok(port > 0, `no published port for ${image}`);
  await waitForHttp(`http://127.0.0.1:${port}/health`, 10_000);
  return { container, instance: { id: info.Id, address: { host: '127.0.0.1', port } } };
}

/** Outcome of a load run: bodies by count, and every failure described. */
interface LoadResult {
  sent: number;
  bodies: Map<string, number>;
  failures: string[];
}

/**
 * GETs `path` at `rps` for `durationMs` (at most maxInFlight at once; stops 45 s past the plan at
 * the latest). The grace is wide because these tests judge what clients get, not speed: busybox
 * closes every connection, so each request is a new connect through docker-proxy, and on a
 * 2-core machine shared with other work that alone can halve the rate.
 */
async function load(port: number, path: string, rps: number, durationMs: number, maxInFlight = 64): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const result: LoadResult = { sent: 0, bodies: new Map(), failures: [] };
  const total = Math.round((rps * durationMs) / 1000);
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  const one = (): Promise<void> => new Promise<void>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        if (res.statusCode === 200) result.bodies.set(body.trim(), (result.bodies.get(body.trim()) ?? 0) + 1);
        else result.failures.push(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
        resolve();
      });
      res.on('error', (err) => {
        result.failures.push(`response error: ${err.message}`);
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (err) => {
      result.failures.push(`request error: ${err.message}`);
      resolve();
    });
  });
  while (result.sent < total && Date.now() - started < durationMs + 45_000) {
    const due = Math.min(total, Math.floor(((Date.now() - started) * rps) / 1000));
    while (result.sent < due && inFlight.size < maxInFlight) {
      const p = one().then(() => void inFlight.delete(p));
      inFlight.add(p);
      result.sent++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return result;
}

describeDocker('gateway with real containers', (env) => {
  const gateways: TestGateway[] = [];
  let v1a: Started;
  let v1b: Started;
  let v2: Started;

  before(async () => {
    [v1a, v1b, v2] = await Promise.all([run(env.docker, env.owner, 'dsr-test-web:v1'), run(env.docker, env.owner, 'dsr-test-web:v1'), run(env.docker, env.owner, 'dsr-test-web:v2')]);
  });
  after(async () => {
    for (const gw of gateways) await gw.close();
    // describeDocker removes everything labelled with env.owner after this hook, even on failure.
  });

  const table = (v1: RouteInstance[], v2s: RouteInstance[]) => ({
    services: new Map([['web', { name: 'web', sticky: false, versions: [{ name: 'v1', weight: 90, instances: v1 }, { name: 'v2', weight: 10, instances: v2s }] }]]),
  });

  it('splits 1,000 requests exactly 900/100 between v1 and v2', async () => {
    const gw = await startGateway();
    gateways.push(gw);
    gw.gateway.setRoutes(table([v1a.instance, v1b.instance], [v2.instance]));
    const result = await load(gw.port, '/gateway/web/version', 1000, 1000, 16);
    assert.deepEqual(result.failures, []);
    assert.equal(result.sent, 1000);
    assert.deepEqual(Object.fromEntries(result.bodies), { v1: 900, v2: 100 });
  });

  it('loses no GET when an instance is killed under 200 requests/s for 20 s', async (t) => {
    const gw = await startGateway();
    gateways.push(gw);
    gw.gateway.setRoutes(table([v1a.instance, v1b.instance], [v2.instance]));
    const killer = new Promise<void>((resolve, reject) => setTimeout(() => v1a.container.kill().then(() => resolve(), reject), 5000));
    const result = await load(gw.port, '/gateway/web/version', 200, 20_000);
    await killer;
    t.diagnostic(`served ${JSON.stringify(Object.fromEntries(result.bodies))}; ejected: ${gw.ejected.map((e) => e.reason).join('; ')}`);
    assert.deepEqual(result.failures, []);
    assert.equal(result.sent, 4000);
    assert.equal((result.bodies.get('v1') ?? 0) + (result.bodies.get('v2') ?? 0), 4000);
    assert.ok(gw.ejected.some((e) => e.id === v1a.instance.id), 'the killed instance was ejected');
    assert.ok(!gw.ejected.some((e) => e.id !== v1a.instance.id), `only the killed instance was ejected: ${JSON.stringify(gw.ejected)}`);
  });
});

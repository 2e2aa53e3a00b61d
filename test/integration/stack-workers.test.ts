// Workers on the real Docker engine (issue 12): a service without a port, judged by an exec
// health check run through the Engine's exec API, replaced when killed or when its check starts
// failing; and start order: a service that depends on another starts only once it is healthy.
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describeDocker } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import { waitFor } from '../helpers/wait.js';

const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();

/** A worker on the busybox test image: no port, an exec check that passes once /tmp/ready exists. */
function worker(name: string, opts: { ready?: string; dependsOn?: string[]; startPeriod?: string; version?: string; strategy?: string; replicas?: number } = {}): string {
  // `sleep` under Docker's init: SIGTERM ends it at once.
  const command = `${opts.ready ?? 'touch /tmp/ready'}; exec sleep 3600`;
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
${opts.strategy ? `  strategy: ${opts.strategy}\n` : ''}  health:
    exec: ["test", "-f", "/tmp/ready"]
    interval: 300ms
    timeout: 2s
    failureThreshold: 2
    startPeriod: ${opts.startPeriod ?? '0s'}
${opts.dependsOn ? `  dependsOn: [${opts.dependsOn.join(', ')}]\n` : ''}  stopGracePeriod: 1s
  versions:
    - name: ${opts.version ?? 'v1'}
      image: dsr-test-web:v1
      command: ["sh", "-c", ${JSON.stringify(command)}]
      replicas: ${opts.replicas ?? 1}
`;
}

describeDocker('workers with exec health checks, and start order', () => {
  const harnesses: Harness[] = [];
  const start = async (files: Record<string, string>): Promise<Harness> => {
    const h = await startHarness(files);
    harnesses.push(h);
    return h;
  };
  after(async () => {
    for (const h of harnesses) await h.dispose();
  });

  it('a worker with an exec check becomes healthy once the check passes, with no address and no route', { timeout: 60_000 }, async () => {
    const h = await start({ 'jobs.yaml': worker('jobs', { ready: 'sleep 2; touch /tmp/ready', startPeriod: '10s' }) });
    const started = Date.now();
    const [c] = await h.waitHealthy('jobs', 1, 30_000);
    assert.ok(Date.now() - started >= 1_500, 'not healthy before the file exists');
    assert.equal(c!.address, null);
    const status = h.controller.status('jobs');
    assert.equal(status?.phase, 'Healthy');
  });

  it('a worker killed with docker kill is replaced', { timeout: 60_000 }, async () => {
    const h = await start({ 'jobs.yaml': worker('jobs') });
    const [victim] = await h.waitHealthy('jobs', 1);
    docker('kill', victim!.id);
    const [replacement] = await waitFor('a new healthy instance', async () => {
      const now = await h.waitHealthy('jobs', 1, 30_000).catch(() => null);
      return now && now[0]!.id !== victim!.id ? now : null;
    }, 40_000);
    assert.notEqual(replacement!.id, victim!.id);
  });

  it('an exec check that starts failing gets the instance replaced, and the event says why', { timeout: 60_000 }, async () => {
    const h = await start({ 'jobs.yaml': worker('jobs') });
    const [sick] = await h.waitHealthy('jobs', 1);
    docker('exec', sick!.id, 'rm', '/tmp/ready');
    const event = await waitFor('instance.unhealthy', async () => (await h.eventsOf('instance.unhealthy', 'jobs'))[0], 20_000);
    assert.match(event.message, /exit 1/);
    assert.equal(event.data.failures, 2);
    const [now] = await waitFor('a replacement', async () => {
      const healthy = await h.waitHealthy('jobs', 1, 30_000).catch(() => null);
      return healthy && healthy[0]!.id !== sick!.id ? healthy : null;
    }, 40_000);
    assert.notEqual(now!.id, sick!.id);
  });

  it('a service that depends on another starts only once that one is healthy, and says what it waits for', { timeout: 90_000 }, async () => {
    // db turns healthy ~4 s after it starts (its start period covers that); api depends on it.
    const h = await start({ 'db.yaml': worker('db', { ready: 'sleep 4; touch /tmp/ready', startPeriod: '20s' }), 'api.yaml': worker('api', { dependsOn: ['db'] }) });
    const waiting = await waitFor('api waiting for db', () => {
      const s = h.controller.status('api');
      return s?.message.includes('waiting for db: no healthy instance') ? s : null;
    }, 20_000, 50);
    assert.equal(waiting.phase, 'Progressing');
    assert.deepEqual((await h.containers((c) => c.service === 'api')).length, 0, 'no api container while db is not healthy');
    await h.waitHealthy('db', 1, 30_000);
    const [api] = await h.waitHealthy('api', 1, 30_000);
    const dbHealthy = (await h.eventsOf('instance.healthy', 'db'))[0]!;
    assert.ok(Date.parse(api!.createdAt) >= Date.parse(dbHealthy.time) - 1_000, `api created ${api!.createdAt}, db healthy ${dbHealthy.time}`);
    const kinds = (await h.eventsOf('dependency.', 'api')).map((e) => e.kind);
    assert.deepEqual(kinds, ['dependency.waiting', 'dependency.ready']);
  });

  it('Recreate stops every old instance before the first new one starts (docker states sampled throughout)', { timeout: 90_000 }, async () => {
    const h = await start({ 'store.yaml': worker('store', { strategy: 'Recreate', replicas: 2 }) });
    await h.waitHealthy('store', 2);
    h.repo.write('store.yaml', worker('store', { strategy: 'Recreate', replicas: 2, version: 'v2' }));
    h.repo.commit('store v2');
    const samples: string[] = [];
    let overlap: string | null = null;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const running = (await h.containers((c) => c.service === 'store')).filter((c) => c.state === 'running');
      const versions = running.map((c) => c.version).sort().join(',');
      if (samples.at(-1) !== versions) samples.push(versions);
      if (running.some((c) => c.version === 'v1') && running.some((c) => c.version === 'v2')) overlap = versions;
      const status = h.controller.status('store');
      if (status?.stable === 'v2' && status.phase === 'Healthy' && versions === 'v2,v2') break;
      assert.ok(Date.now() < deadline, `not done in 60 s; seen ${samples.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(overlap, null, `old and new ran together: ${samples.join(' | ')}`);
    assert.ok(samples.includes(''), `a moment with nothing running was seen: ${samples.join(' | ')}`);
  });
});

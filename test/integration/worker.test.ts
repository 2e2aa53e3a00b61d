// SPEC §8 workers and TCP checks against the real Docker engine: a service without a port runs
// with nothing published, counts as healthy once running for startPeriod, gets no route, and is
// adopted by a restarted DSR; a service with `health.tcp` is judged by a TCP connect.
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describeDocker } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import type { RouteSink } from '../../src/controller/controller.js';
import type { RouteTable } from '../../src/gateway/route-table.js';

const WORKER = `apiVersion: dsr/v1
kind: Service
metadata: { name: jobs }
spec:
  health: { interval: 500ms, startPeriod: 1s }
  versions: [ { name: v1, image: dsr-test-web:v1 } ]
`;
const TCP = `apiVersion: dsr/v1
kind: Service
metadata: { name: cache }
spec:
  port: 80
  health: { tcp: true, interval: 500ms, timeout: 1s, startPeriod: 0s }
  versions: [ { name: v1, image: dsr-test-web:v1 } ]
`;

/** A gateway stand-in that keeps the last route table the controller published. */
class RecordingGateway implements RouteSink {
  last: RouteTable | null = null;
  setRoutes(table: RouteTable): void {
    this.last = table;
  }
  readmit(): void {}
  inFlightInstance(): number {
    return 0;
  }
}

interface Inspected {
  Config: { Labels: Record<string, string> };
  HostConfig: { PortBindings: Record<string, unknown> | null };
  NetworkSettings: { Ports: Record<string, unknown> | null };
}

describeDocker('workers and TCP checks (SPEC §8)', () => {
  const harnesses: Harness[] = [];
  after(async () => {
    for (const h of harnesses.reverse()) await h.dispose();
  });

  it('runs a worker with nothing published, healthy after startPeriod, with no route; a TCP service gets one; a restart adopts both', async () => {
    const gateway = new RecordingGateway();
    const h = await startHarness({ 'jobs.yaml': WORKER, 'cache.yaml': TCP }, { gateway });
    harnesses.push(h);
    const [worker] = await h.waitHealthy('jobs', 1, 30_000);
    const [cache] = await h.waitHealthy('cache', 1, 30_000);
    assert.equal(worker!.address, null, 'a worker has no address');
    assert.notEqual(cache!.address, null);

    const [inspected] = JSON.parse(execFileSync('docker', ['inspect', worker!.id], { encoding: 'utf8' })) as Inspected[];
    assert.equal(inspected!.Config.Labels['dsr.port'], '');
    assert.deepEqual(inspected!.HostConfig.PortBindings ?? {}, {}, 'nothing published on the host');

    const routes = gateway.last!;
    assert.deepEqual([...routes.services.keys()].sort(), ['cache']);
    assert.deepEqual(routes.services.get('cache')!.versions[0]!.instances.map((i) => i.id), [cache!.id]);

    // A restarted DSR adopts both (the empty port label is DSR's, not a malformed container).
    const created = (await h.eventsOf('instance.created')).length;
    await h.stop();
    const again = await startHarness({}, { repo: h.repo, owner: h.owner, dataDir: h.dataDir, gateway });
    harnesses.push(again);
    await again.waitHealthy('jobs', 1, 30_000);
    await again.waitHealthy('cache', 1, 30_000);
    assert.deepEqual((await again.containers()).map((c) => c.id).sort(), [worker!.id, cache!.id].sort());
    assert.equal((await again.eventsOf('instance.created')).length, created, 'nothing was recreated');
  });
});

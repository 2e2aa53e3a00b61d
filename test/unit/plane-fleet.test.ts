import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GatewayMetrics } from '../../src/gateway/metrics.js';
import { Fleet } from '../../src/plane/fleet.js';
import { decodeTable, encodeTable, instanceIds, type WorkerReport } from '../../src/plane/protocol.js';
import { loadRoutes, saveRoutes } from '../../src/plane/routes-file.js';
import { restartDelay } from '../../src/plane/restart-delay.js';

const T0 = 1_700_000_000_000;

/** A worker's report built from its own GatewayMetrics, the way the worker builds it. */
function reportOf(worker: string, generation: number, metrics: GatewayMetrics, after: number, before: number, instances: Array<[string, number]> = []): WorkerReport {
  return {
    type: 'report', worker, generation, instances, versions: [],
    seconds: metrics.list().map((s) => ({ service: s.service, version: s.version, samples: s.seconds(after, before) })),
    totals: metrics.totals(), flushed: 0,
  };
}

describe('fleet drain rule', () => {
  const cases: Array<[string, (f: Fleet) => void, number]> = [
    ['no workers: nothing in flight', (f) => f.publish(5), 0],
    ['a worker that has not acknowledged the newest table counts as busy', (f) => {
      f.setLive(['a']);
      f.publish(5);
      f.report({ type: 'report', worker: 'a', generation: 4, instances: [], versions: [], seconds: [], totals: [], flushed: 0 });
    }, 1],
    ['acknowledged with 0 on the instance: free', (f) => {
      f.setLive(['a', 'b']);
      f.publish(5);
      f.report({ type: 'report', worker: 'a', generation: 5, instances: [['other', 3]], versions: [], seconds: [], totals: [], flushed: 0 });
      f.report({ type: 'report', worker: 'b', generation: 5, instances: [], versions: [], seconds: [], totals: [], flushed: 0 });
    }, 0],
    ['acknowledged but still running requests on it: their sum', (f) => {
      f.setLive(['a', 'b']);
      f.publish(5);
      f.report({ type: 'report', worker: 'a', generation: 5, instances: [['x', 2]], versions: [], seconds: [], totals: [], flushed: 0 });
      f.report({ type: 'report', worker: 'b', generation: 6, instances: [['x', 1]], versions: [], seconds: [], totals: [], flushed: 0 });
    }, 3],
    ['a worker that died no longer holds the drain', (f) => {
      f.setLive(['a', 'b']);
      f.publish(5);
      f.report({ type: 'report', worker: 'a', generation: 5, instances: [], versions: [], seconds: [], totals: [], flushed: 0 });
      f.setLive(['a']);
    }, 0],
    ['a new worker is busy until its first report', (f) => {
      f.setLive(['a']);
      f.publish(5);
      f.report({ type: 'report', worker: 'a', generation: 5, instances: [], versions: [], seconds: [], totals: [], flushed: 0 });
      f.setLive(['a', 'c']);
    }, 1],
    ['reports of unknown workers are ignored', (f) => {
      f.publish(5);
      f.report({ type: 'report', worker: 'ghost', generation: 1, instances: [['x', 9]], versions: [], seconds: [], totals: [], flushed: 0 });
    }, 0],
  ];
  for (const [name, build, expected] of cases) {
    it(name, () => {
      const fleet = new Fleet(() => T0);
      build(fleet);
      assert.equal(fleet.inFlightInstance('x'), expected);
    });
  }
});

describe('fleet metrics', () => {
  it('sums the windows and totals of two workers, each second counted once', () => {
    const a = new GatewayMetrics(() => T0);
    const b = new GatewayMetrics(() => T0);
    for (let i = 0; i < 3; i++) a.series('web', 'v1').response(T0 + i, 200, 10);
    b.series('web', 'v1').response(T0 + 1000, 500, 100);
    b.series('web', 'v1').failure(T0 + 1000);
    const fleet = new Fleet(() => T0 + 5000);
    fleet.setLive(['a', 'b']);
    const s0 = Math.floor(T0 / 1000);
    // Two reports from a: the second repeats nothing already sent.
    fleet.report(reportOf('a', 1, a, -1, s0 + 1));
    fleet.report(reportOf('a', 1, a, s0, s0 + 5));
    fleet.report(reportOf('b', 1, b, -1, s0 + 5));
    const w = fleet.window('web', 'v1', T0, T0 + 5000);
    assert.equal(w.requests, 5);
    assert.equal(w.errors, 2);
    assert.equal(w.upstreamFailures, 1);
    assert.deepEqual(w, (() => {
      const one = new GatewayMetrics(() => T0);
      for (let i = 0; i < 3; i++) one.series('web', 'v1').response(T0 + i, 200, 10);
      one.series('web', 'v1').response(T0 + 1000, 500, 100);
      one.series('web', 'v1').failure(T0 + 1000);
      return one.window('web', 'v1', T0, T0 + 5000);
    })());
    const [t] = fleet.totals();
    assert.equal(t!.requests, 5);
    assert.equal(t!.errors5xx, 1);
    assert.equal(t!.latencyCount, 4);
  });

  it('keeps the totals of a worker that was replaced, so counters never go down', () => {
    const a = new GatewayMetrics(() => T0);
    a.series('web', 'v1').response(T0, 200, 10);
    const fleet = new Fleet(() => T0);
    fleet.setLive(['a']);
    fleet.report(reportOf('a', 1, a, -1, 0));
    fleet.setLive(['b']);
    assert.equal(fleet.totals()[0]!.requests, 1);
  });

  it('knows when every live worker has answered a flush request', () => {
    const fleet = new Fleet(() => T0);
    fleet.setLive(['a', 'b']);
    fleet.report({ type: 'report', worker: 'a', generation: 1, instances: [], versions: [], seconds: [], totals: [], flushed: 2 });
    assert.equal(fleet.flushedAll(2), false, 'b has not answered');
    fleet.report({ type: 'report', worker: 'b', generation: 1, instances: [], versions: [], seconds: [], totals: [], flushed: 2 });
    assert.equal(fleet.flushedAll(2), true);
    assert.equal(fleet.flushedAll(3), false);
  });

  it('sums in-flight counts per version', () => {
    const fleet = new Fleet(() => T0);
    fleet.setLive(['a', 'b']);
    fleet.report({ type: 'report', worker: 'a', generation: 1, instances: [], versions: [['web', 'v1', 2]], seconds: [], totals: [], flushed: 0 });
    fleet.report({ type: 'report', worker: 'b', generation: 1, instances: [], versions: [['web', 'v1', 1], ['web', 'v2', 4]], seconds: [], totals: [], flushed: 0 });
    assert.equal(fleet.inFlightVersion('web', 'v1'), 3);
    assert.equal(fleet.inFlightVersion('web', 'v2'), 4);
  });
});

describe('route table on the wire and on disk', () => {
  const table = { services: new Map([['web', { name: 'web', sticky: false, upstreamKeepAlive: true, versions: [{ name: 'v1', weight: 100, instances: [{ id: 'c1', address: { host: '127.0.0.1', port: 3001 } }] }] }]]) };

  it('decodes what it encodes', () => {
    const wire = JSON.parse(JSON.stringify(encodeTable(table, 7)));
    assert.equal(wire.generation, 7);
    assert.deepEqual(decodeTable(wire), table);
    assert.deepEqual([...instanceIds(wire)], ['c1']);
  });

  it('saves atomically and loads the same table; a missing or broken file loads as none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dsr-routes-'));
    try {
      const file = join(dir, 'routes.json');
      assert.equal(await loadRoutes(file), null);
      await saveRoutes(file, encodeTable(table, 3));
      assert.deepEqual(decodeTable((await loadRoutes(file))!), table);
      await writeFile(file, '{"generation": 1, "servi');
      assert.equal(await loadRoutes(file), null);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('restart back-off', () => {
  const cases: Array<[number, number]> = [[1, 500], [2, 1000], [3, 2000], [4, 4000], [6, 16_000], [7, 30_000], [50, 30_000]];
  for (const [failures, ms] of cases) it(`waits ${ms} ms after ${failures} failure(s) in a row`, () => assert.equal(restartDelay(failures), ms));
});

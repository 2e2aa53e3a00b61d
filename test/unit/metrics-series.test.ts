import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesTotals } from '../../src/gateway/metrics.js';
import { LATENCY_BOUNDS_MS } from '../../src/gateway/histogram.js';
import { BUCKETS, BUCKET_MS, SeriesRing, SeriesStore, bucketStart, bucketTimes } from '../../src/metrics/series.js';
import { SeriesSampler, bucketDelta } from '../../src/metrics/series-sampler.js';
import { marksFromEvents, seriesView, withShares } from '../../src/metrics/series-view.js';
import { parseRange } from '../../src/api/series.js';
import { MAX_MARKS_PER_SERVICE, MarkEvents } from '../../src/metrics/series-marks.js';
import type { DsrEvent } from '../../src/events/types.js';

const T0 = 1_700_000_000_000; // a multiple of 5 s
const sample = (requests: number, errors = 0, p50: number | null = 10, p99: number | null = 20) => ({ requests, errors, latencyP50Ms: p50, latencyP99Ms: p99 });

/** Totals with `n` requests of which `errors` were 5xx, every latency in the bucket of `le` ms. */
function totals(version: string, n: number, errors = 0, le = 20, failures = 0): SeriesTotals {
  let cumulative = 0;
  const latencyBuckets = [...LATENCY_BOUNDS_MS, Infinity].map((bound) => ({ leMs: bound, count: (cumulative += bound === le ? n - failures : 0) }));
  return { service: 'web', version, requests: n, errors5xx: errors, upstreamFailures: failures, latencyBuckets, latencySumMs: 0, latencyCount: n - failures };
}

describe('bucket arithmetic', () => {
  const starts: Array<[string, number, number]> = [
    ['a bucket start is its own start', T0, T0],
    ['the middle of a bucket', T0 + 2_345, T0],
    ['the last millisecond of a bucket', T0 + 4_999, T0],
    ['the next bucket', T0 + 5_000, T0 + 5_000],
  ];
  for (const [name, ms, start] of starts) it(`bucketStart: ${name}`, () => assert.equal(bucketStart(ms), start));
  it('lists the bucket starts of a range, end excluded', () => assert.deepEqual(bucketTimes(T0 + 1, T0 + 12_000), [T0, T0 + 5_000, T0 + 10_000]));
});

describe('series ring', () => {
  const cases: Array<[string, (r: SeriesRing) => void, number, ReturnType<typeof sample>]> = [
    ['reads back a recorded bucket', (r) => r.record(T0, sample(7, 1, 3, 9)), T0, sample(7, 1, 3, 9)],
    ['reads zeros for a bucket never recorded', (r) => r.record(T0, sample(7)), T0 + BUCKET_MS, sample(0, 0, null, null)],
    ['forgets a bucket an hour later, when its slot is reused', (r) => { r.record(T0, sample(7)); r.record(T0 + BUCKETS * BUCKET_MS, sample(2)); }, T0, sample(0, 0, null, null)],
    ['keeps the newer bucket when an older one arrives for its slot', (r) => { r.record(T0 + BUCKETS * BUCKET_MS, sample(2)); r.record(T0, sample(7)); }, T0 + BUCKETS * BUCKET_MS, sample(2)],
    ['keeps null latencies null', (r) => r.record(T0, sample(3, 3, null, null)), T0, sample(3, 3, null, null)],
    ['rounds latencies to 0.01 ms', (r) => r.record(T0, sample(1, 0, 12.3456, 99.999)), T0, sample(1, 0, 12.35, 100)],
  ];
  for (const [name, setup, at, expected] of cases) {
    it(name, () => {
      const ring = new SeriesRing();
      setup(ring);
      assert.deepEqual(ring.read(at), expected);
    });
  }

  it('drops rings idle for an hour and keeps the others', () => {
    const store = new SeriesStore();
    store.record('web', 'v1', T0, sample(1));
    store.record('web', 'v2', T0 + 60_000, sample(1));
    store.prune(T0 + BUCKETS * BUCKET_MS + 30_000);
    assert.deepEqual(store.read('web', [T0 + 60_000]).map((c) => c.version), ['v2']);
    assert.equal(store.ringCount(), 1);
  });
});

describe('bucket deltas from the gateway totals', () => {
  const cases: Array<[string, SeriesTotals | undefined, SeriesTotals, ReturnType<typeof sample>]> = [
    ['the difference of two readings', totals('v1', 100, 2), totals('v1', 130, 5), sample(30, 3, 15, 19.9)],
    ['upstream failures count as errors', totals('v1', 10), totals('v1', 14, 0, 20, 2), sample(4, 2, 15, 19.9)],
    ['a first reading counts from zero', undefined, totals('v1', 4), sample(4, 0, 15, 19.9)],
    ['a counter that went down was reset: counts from zero', totals('v1', 500, 10), totals('v1', 3, 1), sample(3, 1, 15, 19.9)],
    ['nothing new: no requests, no latency', totals('v1', 9), totals('v1', 9), sample(0, 0, null, null)],
  ];
  for (const [name, before, after, expected] of cases) {
    it(name, () => {
      const got = bucketDelta(before, after);
      assert.equal(got.requests, expected.requests);
      assert.equal(got.errors, expected.errors);
      for (const k of ['latencyP50Ms', 'latencyP99Ms'] as const) {
        if (expected[k] === null) assert.equal(got[k], null);
        else assert.ok(Math.abs(got[k]! - expected[k]!) < 1e-9, `${k}: ${got[k]} != ${expected[k]}`);
      }
    });
  }

  it('records each finished bucket under its start, and nothing before the first reading', () => {
    const store = new SeriesStore();
    let current = [totals('v1', 50)];
    const sampler = new SeriesSampler(store, () => current);
    sampler.prime();
    current = [totals('v1', 60), totals('v2', 5)];
    sampler.sample(T0 + BUCKET_MS + 50);
    current = [totals('v1', 60), totals('v2', 9)];
    sampler.sample(T0 + 2 * BUCKET_MS + 50);
    const [v1, v2] = store.read('web', [T0, T0 + BUCKET_MS]);
    assert.deepEqual(v1!.requests, [10, 0]);
    assert.deepEqual(v2!.requests, [5, 4]);
  });
});

function event(id: number, kind: string, at: number, data: Record<string, unknown> = {}): DsrEvent {
  return { id, time: new Date(at).toISOString(), kind, service: 'web', version: 'v2', revision: null, message: kind, data };
}

describe('series view', () => {
  it('gives each version its share of the routed traffic and its error rate', () => {
    const got = withShares([
      { version: '', requests: [5, 0], errors: [5, 0], latencyP50Ms: [0, null], latencyP99Ms: [0, null] },
      { version: 'v1', requests: [90, 0], errors: [9, 0], latencyP50Ms: [1, null], latencyP99Ms: [2, null] },
      { version: 'v2', requests: [10, 0], errors: [0, 0], latencyP50Ms: [1, null], latencyP99Ms: [2, null] },
    ]);
    assert.deepEqual(got.map((v) => v.share), [[null, null], [0.9, null], [0.1, null]]);
    assert.deepEqual(got.map((v) => v.errorRate), [[1, null], [0.1, null], [0, null]]);
  });

  const marks: Array<[string, DsrEvent, { label: string; result?: string } | null]> = [
    ['a weight change is labelled with the new weight', event(1, 'rollout.weight', T0, { to: 25 }), { label: '25%' }],
    ['a verdict carries its result', event(2, 'analysis.fail', T0), { label: 'fail', result: 'fail' }],
    ['an abort is a mark', event(3, 'rollout.aborted', T0), { label: 'aborted' }],
    ['an instance event is not', event(4, 'instance.started', T0), null],
    ['an event before the range is left out', event(5, 'rollout.started', T0 - 60_000), null],
  ];
  for (const [name, e, expected] of marks) {
    it(name, () => {
      const got = marksFromEvents([e], T0 - 1000, T0 + 1000);
      if (expected === null) assert.deepEqual(got, []);
      else assert.deepEqual({ label: got[0]!.label, ...(got[0]!.result ? { result: got[0]!.result } : {}) }, expected);
    });
  }

  it('covers the finished buckets of the range and says the thresholds', () => {
    const store = new SeriesStore();
    store.record('web', 'v1', T0 - BUCKET_MS, sample(4));
    const analysis = { intervalMs: 10_000, minRequests: 20, maxErrorRate: 0.05, maxLatencyP99Ms: 500, failureLimit: 2, compareToStable: false, inconclusiveDeadlineMs: null };
    const view = seriesView({ service: 'web', store, nowMs: T0 + 1234, rangeMs: 60_000, events: [], analysis });
    assert.equal(view.times.length, 12);
    assert.equal(view.times.at(-1), T0 - BUCKET_MS);
    assert.equal(view.versions[0]!.requests.at(-1), 4);
    assert.deepEqual(view.thresholds, { maxErrorRate: 0.05, maxLatencyP99Ms: 500, minRequests: 20 });
  });

  const ranges: Array<[string | undefined, number | null]> = [[undefined, 900_000], ['15m', 900_000], ['1h', 3_600_000], ['30s', 30_000], ['2h', null], ['1s', null], ['15', null], ['-5m', null]];
  for (const [raw, expected] of ranges) {
    it(`reads range ${JSON.stringify(raw)} as ${expected ?? 'an error'}`, () => {
      if (expected === null) assert.throws(() => parseRange(raw), /range must be/);
      else assert.equal(parseRange(raw), expected);
    });
  }
});

describe('marks kept in memory', () => {
  const HOUR = 3_600_000;
  it('keeps rollout and analysis events per service, once each, oldest first', () => {
    const m = new MarkEvents(HOUR);
    m.add([event(3, 'analysis.pass', T0 + 3), event(1, 'rollout.started', T0 + 1), event(2, 'instance.created', T0 + 2)], T0 + 10);
    m.add([event(3, 'analysis.pass', T0 + 3), event(4, 'rollout.weight', T0 + 4, { to: 30 })], T0 + 10);
    assert.deepEqual(m.of('web').map((e) => e.id), [1, 3, 4]);
    assert.deepEqual(m.of('api'), []);
  });
  it('forgets events older than the hour', () => {
    const m = new MarkEvents(HOUR);
    m.add([event(1, 'rollout.started', T0), event(2, 'analysis.pass', T0 + HOUR)], T0 + HOUR + 1000);
    assert.deepEqual(m.of('web').map((e) => e.id), [2]);
  });
  it('keeps at most MAX_MARKS_PER_SERVICE per service', () => {
    const m = new MarkEvents(HOUR);
    m.add(Array.from({ length: MAX_MARKS_PER_SERVICE + 5 }, (_, i) => event(i + 1, 'analysis.pass', T0 + i)), T0 + MAX_MARKS_PER_SERVICE + 5);
    assert.equal(m.of('web').length, MAX_MARKS_PER_SERVICE);
    assert.equal(m.of('web')[0]!.id, 6);
  });
});

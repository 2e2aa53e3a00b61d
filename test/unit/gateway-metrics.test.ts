import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUCKET_COUNT, LATENCY_BOUNDS_MS, bucketIndex, quantile } from '../../src/gateway/histogram.js';
import { GatewayMetrics, MetricSeries, RING_SECONDS } from '../../src/gateway/metrics.js';
import { MAX_WINDOW_MS } from '../../src/rollout/check.js';

const T0 = 1_700_000_000_000; // a whole second

/** Counts per bucket from a {bound: count} description; 'inf' is the overflow bucket. */
function buckets(spec: Record<string, number>): number[] {
  const counts = new Array<number>(BUCKET_COUNT).fill(0);
  for (const [bound, n] of Object.entries(spec)) counts[bound === 'inf' ? LATENCY_BOUNDS_MS.length : LATENCY_BOUNDS_MS.indexOf(Number(bound))] = n;
  return counts;
}

describe('latency histogram', () => {
  const indexes: Array<[number, number]> = [[0, 0], [1, 0], [1.5, 1], [12, 4], [20, 4], [499, 13], [500, 13], [60_000, 22], [60_001, 23]];
  for (const [ms, index] of indexes) it(`puts ${ms} ms in bucket ${index}`, () => assert.equal(bucketIndex(ms), index));

  const quantiles: Array<[string, Record<string, number>, number, number | null]> = [
    ['nothing recorded', {}, 0.5, null],
    ['the middle of one bucket', { 20: 10 }, 0.5, 15],
    ['interpolation across buckets', { 10: 50, 20: 50 }, 0.99, 19.8],
    ['the upper edge of a bucket', { 10: 50, 20: 50 }, 0.5, 10],
    ['the first bucket from zero', { 1: 4 }, 0.5, 0.5],
    ['a p99 in a slow tail', { 50: 98, 750: 2 }, 0.99, 625],
    ['the overflow bucket answers the highest bound', { inf: 3 }, 0.5, 60_000],
  ];
  for (const [name, spec, q, expected] of quantiles) {
    it(`estimates q${q} for ${name}`, () => {
      const got = quantile(buckets(spec), q);
      if (expected === null) assert.equal(got, null);
      else assert.ok(got !== null && Math.abs(got - expected) < 1e-9, `${got} != ${expected}`);
    });
  }
});

describe('metric windows', () => {
  /** A series with: second 0: 3 ok (10 ms), second 1: 1 ok + 1 500 (100 ms) + 1 failure, second 5: 2 ok (400 ms). */
  function series(): MetricSeries {
    const s = new MetricSeries('web', 'v2');
    for (let i = 0; i < 3; i++) s.response(T0 + 100, 200, 10);
    s.response(T0 + 1500, 201, 100);
    s.response(T0 + 1600, 503, 100);
    s.failure(T0 + 1700);
    s.response(T0 + 5000, 200, 400);
    s.response(T0 + 5999, 200, 400);
    return s;
  }
  const windows: Array<[string, number, number, { requests: number; errors: number; upstreamFailures: number }]> = [
    ['everything', T0, T0 + 6000, { requests: 8, errors: 2, upstreamFailures: 1 }],
    ['the first second only', T0, T0 + 1000, { requests: 3, errors: 0, upstreamFailures: 0 }],
    ['every second the window touches', T0 + 999, T0 + 1001, { requests: 6, errors: 2, upstreamFailures: 1 }],
    ['an empty stretch', T0 + 2000, T0 + 5000, { requests: 0, errors: 0, upstreamFailures: 0 }],
    ['the last second', T0 + 5000, T0 + 6000, { requests: 2, errors: 0, upstreamFailures: 0 }],
    ['a window before anything happened', T0 - 10_000, T0, { requests: 0, errors: 0, upstreamFailures: 0 }],
  ];
  for (const [name, from, to, expected] of windows) {
    it(`counts ${name}`, () => {
      const { requests, errors, upstreamFailures } = series().window(from, to);
      assert.deepEqual({ requests, errors, upstreamFailures }, expected);
    });
  }

  it('estimates latency percentiles over the window only', () => {
    const s = series();
    const first = s.window(T0, T0 + 1000);
    assert.equal(first.latencyP50Ms, 7.5);
    const all = s.window(T0, T0 + 6000);
    assert.ok(all.latencyP99Ms! > 300 && all.latencyP99Ms! <= 400, String(all.latencyP99Ms));
    assert.equal(s.window(T0 + 2000, T0 + 3000).latencyP99Ms, null);
  });

  it('forgets seconds older than the ring once their slot is reused', () => {
    const s = series();
    s.response(T0 + RING_SECONDS * 1000 + 50, 200, 1); // lands in second 0's slot
    assert.equal(s.window(T0, T0 + 1000).requests, 0);
    assert.equal(s.window(T0 + RING_SECONDS * 1000, T0 + RING_SECONDS * 1000 + 1000).requests, 1);
    assert.equal(s.window(T0 + 1000, T0 + 2000).requests, 3, 'second 1 is still in the ring');
  });

  it('reads at most the last ring of seconds of a longer window', () => {
    const s = new MetricSeries('web', 'v1');
    s.response(T0, 200, 1);
    s.response(T0 + 700_000, 200, 1);
    assert.equal(s.window(T0 - 1000, T0 + 701_000).requests, 1);
  });

  it('keeps every second of the longest window rollout analysis judges (a wait for traffic that grew long)', () => {
    assert.ok(RING_SECONDS * 1000 >= MAX_WINDOW_MS, `the ring keeps ${RING_SECONDS}s, analysis judges up to ${MAX_WINDOW_MS / 1000}s`);
    const s = new MetricSeries('web', 'v2');
    for (let t = 0; t < MAX_WINDOW_MS; t += 30_000) s.response(T0 + t, 200, 1);
    assert.equal(s.window(T0, T0 + MAX_WINDOW_MS).requests, MAX_WINDOW_MS / 30_000);
  });

  it('keeps cumulative totals with Prometheus-style buckets', () => {
    const t = series().totals();
    assert.equal(t.requests, 8);
    assert.equal(t.errors5xx, 1);
    assert.equal(t.upstreamFailures, 1);
    assert.equal(t.latencyCount, 7);
    assert.equal(t.latencySumMs, 3 * 10 + 2 * 100 + 2 * 400);
    assert.deepEqual(t.latencyBuckets.find((b) => b.leMs === 10), { leMs: 10, count: 3 });
    assert.deepEqual(t.latencyBuckets.find((b) => b.leMs === 100), { leMs: 100, count: 5 });
    assert.deepEqual(t.latencyBuckets.at(-1), { leMs: Infinity, count: 7 });
  });

  it('counts an abandoned attempt as a request without error or latency', () => {
    const s = new MetricSeries('web', 'v1');
    s.aborted(T0);
    assert.deepEqual(s.window(T0, T0 + 1000), { requests: 1, errors: 0, upstreamFailures: 0, latencyP50Ms: null, latencyP99Ms: null });
  });

  it('answers zeros for a series it never saw, and prunes idle series that left the table', () => {
    let now = T0;
    const m = new GatewayMetrics(() => now);
    assert.deepEqual(m.window('x', 'v1', 0, T0), { requests: 0, errors: 0, upstreamFailures: 0, latencyP50Ms: null, latencyP99Ms: null });
    m.series('web', 'v1').response(T0, 200, 1);
    m.series('web', 'v2').response(T0, 200, 1);
    m.prune(() => false);
    assert.equal(m.totals().length, 2, 'recent data is kept for the window');
    now = T0 + RING_SECONDS * 1000 + 1;
    m.prune((_s, v) => v === 'v1');
    assert.deepEqual(m.totals().map((t) => t.version), ['v1']);
  });
});

// Measures the memory the chart series (src/metrics/series.ts) cost: N services with a stable, a
// canary and the unrouted series '', every bucket of the hour written, as during a long rollout.
// Prints the measured bytes (V8 heap + typed-array buffers, after a forced GC) next to the
// arithmetic of series.ts, and the time one API answer takes to build.
//
//   node --expose-gc --import tsx bench/series.ts [--services 100]
import { parseArgs } from 'node:util';
import { BUCKETS, BUCKET_MS, SeriesStore } from '../src/metrics/series.js';
import { seriesView } from '../src/metrics/series-view.js';

const { values } = parseArgs({ options: { services: { type: 'string', default: '100' } } });
const services = Number(values.services);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc --import tsx bench/series.ts');
  process.exit(2);
}

function used(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const versions = ['', 'v1', 'v2'];
const now = 1_700_000_000_000;
const before = used();
const store = new SeriesStore();
for (let s = 0; s < services; s++) {
  for (const v of versions) {
    for (let b = 0; b < BUCKETS; b++) store.record(`service-${s}`, v, now - (BUCKETS - b) * BUCKET_MS, { requests: 100 + b, errors: b % 7, latencyP50Ms: 4.2, latencyP99Ms: 31.7 });
  }
}
const after = used();
const bytes = after - before;
const arithmetic = services * versions.length * BUCKETS * 20;

const started = performance.now();
const rounds = 200;
for (let i = 0; i < rounds; i++) seriesView({ service: `service-${i % services}`, store, nowMs: now, rangeMs: 15 * 60_000, events: [], analysis: null });
const viewMs = (performance.now() - started) / rounds;

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
console.log(`series memory: ${services} services × ${versions.length} versions × ${BUCKETS} buckets of ${BUCKET_MS / 1000} s`);
console.log(`  measured:   ${kb(bytes)} total, ${kb(bytes / services)} per service, ${kb(bytes / services / versions.length)} per version (${store.ringCount()} rings)`);
console.log(`  arithmetic: ${kb(arithmetic)} of typed arrays (20 B per bucket), ${kb(arithmetic / services)} per service`);
console.log(`  one 15m answer (180 buckets × 3 versions) built in ${viewMs.toFixed(3)} ms`);
// Keeps the store alive until after the measurement.
if (store.ringCount() !== services * versions.length) process.exit(1);

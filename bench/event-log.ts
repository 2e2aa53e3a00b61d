// Benchmarks the JSONL event log: is appending O(1) however long the log (SPEC §5), and does a
// query for recent events cost what it returns? Runs the same measurements on a log holding
// 1,000 events and on one holding 1,000,000, prints both and their ratio, and exits 1 when
// appending to the big log is more than 1.5× slower. Also reports the manifest loading benchmark.
//
//   npx tsx bench/event-log.ts
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonlEventLog } from '../src/events/jsonl-event-log.js';
import { ACTIVE_FILE, segmentName } from '../src/events/segments.js';
import { benchManifestLoad } from './manifest-load.js';

const SMALL = 1_000;
const BIG = 1_000_000;
const APPENDS = 20_000;
/** Rounds per measurement; the best is kept, as usual for timing, to cut GC and scheduler noise. */
const ROUNDS = 3;
const QUERIES = 500;
const MAX_APPEND_RATIO = 1.5;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
// Keep every file of the big log: retention would otherwise start deleting during the run.
const MAX_FILES = 1000;

interface Figures {
  openMs: number;
  appendMs: number;
  recentQueryUs: number;
  deepQueryUs: number;
}

/** Writes `count` events as segment files plus an active file, in the log's own format, in big chunks. */
async function buildLog(dir: string, count: number): Promise<void> {
  const time = new Date('2024-01-01T00:00:00Z').toISOString();
  let chunk: string[] = [];
  let bytes = 0;
  let firstId = 1;
  for (let id = 1; id <= count; id++) {
    const line =
      JSON.stringify({ id, time, kind: 'bench.event', service: `svc-${id % 20}`, version: 'v1', revision: 'a1b2c3d', message: `event ${id}`, data: { i: id } }) + '\n';
    if (bytes + line.length > MAX_FILE_BYTES) {
      await writeFile(join(dir, segmentName(firstId)), chunk.join(''));
      chunk = [];
      bytes = 0;
      firstId = id;
    }
    chunk.push(line);
    bytes += line.length;
  }
  await writeFile(join(dir, ACTIVE_FILE), chunk.join(''));
}

async function measureRound(dir: string, existing: number): Promise<Figures> {
  let t = performance.now();
  const log = await JsonlEventLog.open(dir, { maxFileBytes: MAX_FILE_BYTES, maxFiles: MAX_FILES });
  const openMs = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < APPENDS; i++) {
    await log.append({ kind: 'bench.append', service: 'web', version: 'v2', revision: 'a1b2c3d', message: 'appended by the benchmark', data: { i } });
  }
  const appendMs = performance.now() - t;

  const recentSince = log.lastId() - 100;
  t = performance.now();
  for (let i = 0; i < QUERIES; i++) check(await log.query({ since: recentSince }), 100);
  const recentQueryUs = ((performance.now() - t) / QUERIES) * 1000;

  // Beyond the in-memory ring: 100 events from the middle of the pre-built history.
  const deepSince = Math.floor(existing / 2);
  t = performance.now();
  for (let i = 0; i < QUERIES; i++) check(await log.query({ since: deepSince, limit: 100 }), 100);
  const deepQueryUs = ((performance.now() - t) / QUERIES) * 1000;

  await log.close();
  return { openMs, appendMs, recentQueryUs, deepQueryUs };
}

function check(events: unknown[], expected: number): void {
  if (events.length !== expected) throw new Error(`benchmark query returned ${events.length} events, expected ${expected}`);
}

function best(rounds: Figures[]): Figures {
  const min = (pick: (f: Figures) => number): number => Math.min(...rounds.map(pick));
  return { openMs: min((f) => f.openMs), appendMs: min((f) => f.appendMs), recentQueryUs: min((f) => f.recentQueryUs), deepQueryUs: min((f) => f.deepQueryUs) };
}

async function main(): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'dsr-bench-events-'));
  try {
    const smallDir = join(root, 'small');
    const bigDir = join(root, 'big');
    const warmDir = join(root, 'warm');
    let t = performance.now();
    await Promise.all([smallDir, bigDir, warmDir].map((d) => mkdir(d)));
    await buildLog(smallDir, SMALL);
    await buildLog(warmDir, SMALL);
    await buildLog(bigDir, BIG);
    console.log(`built logs of ${SMALL.toLocaleString('en')} and ${BIG.toLocaleString('en')} events in ${(performance.now() - t).toFixed(0)} ms`);

    await measureRound(warmDir, SMALL); // JIT warm-up, so the first measured case is not penalized
    const small: Figures[] = [];
    const big: Figures[] = [];
    // Interleaved, so a slow patch of the machine hurts both cases alike.
    for (let round = 0; round < ROUNDS; round++) {
      small.push(await measureRound(smallDir, SMALL));
      big.push(await measureRound(bigDir, BIG));
    }
    const s = best(small);
    const b = best(big);
    const rate = (f: Figures): string => `${Math.round(APPENDS / (f.appendMs / 1000)).toLocaleString('en')} events/s`;
    const row = (label: string, f: Figures): void =>
      console.log(
        `${label}: append ${rate(f)} (${APPENDS.toLocaleString('en')} in ${f.appendMs.toFixed(0)} ms), ` +
          `since-query last 100 ${f.recentQueryUs.toFixed(1)} µs, since-query 100 from the middle ${f.deepQueryUs.toFixed(0)} µs, open ${f.openMs.toFixed(1)} ms`,
      );
    row(`log of ${SMALL.toLocaleString('en')}`, s);
    row(`log of ${BIG.toLocaleString('en')}`, b);
    const appendRatio = b.appendMs / s.appendMs;
    console.log(
      `ratios big/small: append time ${appendRatio.toFixed(2)}, recent query ${(b.recentQueryUs / s.recentQueryUs).toFixed(2)}, ` +
        `deep query ${(b.deepQueryUs / s.deepQueryUs).toFixed(2)}, open ${(b.openMs / s.openMs).toFixed(2)}`,
    );

    const manifests = await benchManifestLoad();
    console.log(`loaded ${manifests.files} manifests in ${manifests.ms.toFixed(0)} ms`);

    if (appendRatio > MAX_APPEND_RATIO) {
      console.error(`FAIL: appending to the big log is ${appendRatio.toFixed(2)}× slower (limit ${MAX_APPEND_RATIO}×): append is not O(1)`);
      return 1;
    }
    console.log(`OK: append time ratio ${appendRatio.toFixed(2)} ≤ ${MAX_APPEND_RATIO}`);
    return 0;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();

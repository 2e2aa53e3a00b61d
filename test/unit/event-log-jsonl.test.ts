// What only the on-disk log does: ids across restarts, rotation and retention, torn-line repair,
// lines that never interleave, and reading no more of the files than a query needs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import type { JsonlEventLogOptions } from '../../src/events/jsonl-event-log.js';
import type { DsrEvent } from '../../src/events/types.js';
import { steppingClock } from '../contract/event-log.contract.js';

interface Env {
  dir: string;
  warnings: string[];
  open(extra?: JsonlEventLogOptions): Promise<JsonlEventLog>;
}

async function withDir(run: (env: Env) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dsr-jsonl-'));
  const warnings: string[] = [];
  const clock = steppingClock();
  try {
    await run({ dir, warnings, open: (extra = {}) => JsonlEventLog.open(dir, { clock, warn: (m) => warnings.push(m), ...extra }) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function appendN(log: JsonlEventLog, n: number, service = 'web'): Promise<DsrEvent[]> {
  const out: DsrEvent[] = [];
  for (let i = 0; i < n; i++) out.push(await log.append({ kind: 'test.event', service, message: `event number ${i}` }));
  return out;
}

/** The log's files, oldest first: segments by name, then the active file. */
async function logFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
  const segments = names.filter((n) => n !== 'events.jsonl').sort();
  return [...segments, ...(names.includes('events.jsonl') ? ['events.jsonl'] : [])];
}

/** Every line on disk, parsed; fails if any line is not JSON or the last one is unterminated. */
async function eventsOnDisk(dir: string): Promise<DsrEvent[]> {
  const out: DsrEvent[] = [];
  for (const name of await logFiles(dir)) {
    const text = await readFile(join(dir, name), 'utf8');
    if (text === '') continue;
    assert.ok(text.endsWith('\n'), `${name} ends with a newline`);
    for (const line of text.slice(0, -1).split('\n')) out.push(JSON.parse(line) as DsrEvent);
  }
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('JsonlEventLog', () => {
  const restarts: Array<{ name: string; crash: (dir: string) => Promise<void>; options?: JsonlEventLogOptions }> = [
    { name: 'after a clean restart', crash: async () => undefined },
    {
      name: 'when the active file is empty (stopped right after a rotation)',
      crash: async (dir) => {
        await rename(join(dir, 'events.jsonl'), join(dir, 'events-000000000001.jsonl'));
        await writeFile(join(dir, 'events.jsonl'), '');
      },
    },
    { name: 'when the active file is missing', crash: (dir) => rename(join(dir, 'events.jsonl'), join(dir, 'events-000000000001.jsonl')) },
    { name: 'across rotated segments with a one-event ring', crash: async () => undefined, options: { maxFileBytes: 400, recentEvents: 1, maxFiles: 100 } },
  ];
  for (const c of restarts) {
    it(`continues ids ${c.name}`, () =>
      withDir(async ({ dir, open, warnings }) => {
        const first = await open(c.options);
        await appendN(first, 5);
        await first.close();
        await c.crash(dir);
        const log = await open(c.options);
        assert.equal(log.lastId(), 5);
        assert.equal((await log.append({ kind: 'k', message: 'after restart' })).id, 6);
        assert.deepEqual((await log.query({})).map((e) => e.id), range(1, 6));
        assert.deepEqual((await log.query({ since: 4 })).map((e) => e.id), [5, 6]);
        await log.close();
        assert.deepEqual((await eventsOnDisk(dir)).map((e) => e.id), range(1, 6));
        assert.deepEqual(warnings, []);
      }));
  }

  it('rotates before a file would exceed maxFileBytes, naming segments by their first id', () =>
    withDir(async ({ dir, open }) => {
      const log = await open({ maxFileBytes: 1000, maxFiles: 100 });
      await appendN(log, 50);
      await log.close();
      const files = await logFiles(dir);
      assert.ok(files.length > 5, `${files.length} files`);
      let sum = 0;
      for (const name of files) {
        const size = (await stat(join(dir, name))).size;
        sum += size;
        assert.ok(size <= 1000, `${name} has ${size} bytes`);
        const firstLine = JSON.parse((await readFile(join(dir, name), 'utf8')).split('\n')[0]!) as DsrEvent;
        if (name !== 'events.jsonl') assert.equal(name, `events-${String(firstLine.id).padStart(12, '0')}.jsonl`);
      }
      assert.equal(sum, log.sizeBytes());
      assert.deepEqual((await eventsOnDisk(dir)).map((e) => e.id), range(1, 50));
    }));

  it('keeps at most maxFiles files, deleting the oldest, and no longer returns their events', () =>
    withDir(async ({ dir, open }) => {
      const log = await open({ maxFileBytes: 500, maxFiles: 3 });
      await appendN(log, 60);
      const files = await logFiles(dir);
      assert.equal(files.length, 3);
      const kept = (await eventsOnDisk(dir)).map((e) => e.id);
      assert.ok(kept[0]! > 1, 'the oldest events are gone');
      assert.deepEqual(kept, range(kept[0]!, 60));
      assert.deepEqual((await log.query({ since: 0 })).map((e) => e.id), kept);
      assert.deepEqual((await log.query({})).map((e) => e.id), kept);
      let sum = 0;
      for (const name of files) sum += (await stat(join(dir, name))).size;
      assert.equal(log.sizeBytes(), sum);
      await log.close();
    }));

  it('does not open segments that end before since', () =>
    withDir(async ({ dir, open }) => {
      const log = await open({ maxFileBytes: 600, maxFiles: 100 });
      await appendN(log, 30);
      await log.close();
      // Replace the oldest segment with "ghost" events whose ids look wanted: a query that
      // opened the file would return them.
      const oldest = (await logFiles(dir))[0]!;
      const ghosts = range(20, 25).map((id) => JSON.stringify({ id, time: '', kind: 'ghost', service: 'ghost', version: null, revision: null, message: '', data: {} }));
      await writeFile(join(dir, oldest), ghosts.join('\n') + '\n');
      const reopened = await open({ maxFileBytes: 600, maxFiles: 100, recentEvents: 1 });
      const since19 = await reopened.query({ since: 19 });
      assert.deepEqual(since19.map((e) => e.id), range(20, 30));
      assert.ok(since19.every((e) => e.kind !== 'ghost'));
      // Control: a query from the start does read it.
      assert.ok((await reopened.query({ since: 0 })).some((e) => e.kind === 'ghost'));
      await reopened.close();
    }));

  it('pages with since through a large file read from disk', () =>
    withDir(async ({ open }) => {
      const first = await open();
      for (let i = 0; i < 4000; i++) await first.append({ kind: i % 2 ? 'rollout.step' : 'health.ok', service: i % 3 ? 'web' : 'api', message: 'm'.repeat(60) });
      await first.close();
      const log = await open({ recentEvents: 1 });
      const pages: Array<{ q: Parameters<JsonlEventLog['query']>[0]; ids: number[] }> = [
        { q: { since: 0, limit: 3 }, ids: [1, 2, 3] },
        { q: { since: 2500, limit: 3 }, ids: [2501, 2502, 2503] },
        { q: { since: 3998, limit: 3 }, ids: [3999, 4000] },
        { q: { since: 3000, limit: 2, kind: 'rollout.', service: 'api' }, ids: [3004, 3010] },
      ];
      for (const p of pages) assert.deepEqual((await log.query(p.q)).map((e) => e.id), p.ids, JSON.stringify(p.q));
      await log.close();
    }));

  it('opens by reading only the newest files, and reports a corrupt old segment once when a query reaches it', () =>
    withDir(async ({ dir, open, warnings }) => {
      const log = await open({ maxFileBytes: 600, maxFiles: 100 });
      await appendN(log, 40);
      await log.close();
      const oldest = (await logFiles(dir))[0]!;
      await writeFile(join(dir, oldest), 'not json at all\n{"also": "not an event"}\n');
      const reopened = await open({ maxFileBytes: 600, maxFiles: 100, recentEvents: 10 });
      assert.equal(reopened.lastId(), 40);
      assert.deepEqual((await reopened.query({ limit: 5 })).map((e) => e.id), range(36, 40));
      assert.deepEqual(warnings, []);
      const all = await reopened.query({});
      const firstKept = all[0]!.id;
      assert.ok(firstKept > 1);
      assert.deepEqual(all.map((e) => e.id), range(firstKept, 40));
      await reopened.query({ since: 0 });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(oldest));
      await reopened.close();
    }));

  const torn: Array<{ name: string; junk: string }> = [
    { name: 'half an event', junk: '{"id":6,"time":"2024-01-01T00:00:05.000Z","kind":"te' },
    { name: 'NUL bytes left by a power loss', junk: '\0\0\0\0\0\0' },
    { name: 'a complete line that is not an event', junk: 'garbage\n' },
    { name: 'several junk lines and a torn one', junk: 'x\n{"id":\n{"i' },
  ];
  for (const c of torn) {
    it(`drops ${c.name} at the end of the file with a warning and keeps every earlier event`, () =>
      withDir(async ({ dir, open, warnings }) => {
        const first = await open();
        await appendN(first, 5);
        await first.close();
        await appendFile(join(dir, 'events.jsonl'), c.junk);
        const log = await open();
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, /events\.jsonl/);
        assert.equal(log.lastId(), 5);
        assert.equal((await log.append({ kind: 'k', message: 'next' })).id, 6);
        await log.close();
        assert.deepEqual((await eventsOnDisk(dir)).map((e) => e.id), range(1, 6));
      }));
  }

  it('never interleaves 1,000 concurrent appends, even across rotations', () =>
    withDir(async ({ dir, open }) => {
      const log = await open({ maxFileBytes: 20_000, maxFiles: 1000 });
      const events = await Promise.all(
        range(1, 1000).map((i) => log.append({ kind: 'burst', message: 'x'.repeat(i % 97), data: { i } })),
      );
      await log.close();
      assert.deepEqual(events.map((e) => e.id), range(1, 1000));
      assert.deepEqual(events.map((e) => e.data.i), range(1, 1000));
      const onDisk = await eventsOnDisk(dir);
      assert.deepEqual(onDisk.map((e) => e.id), range(1, 1000));
      assert.deepEqual(onDisk, events);
      assert.ok((await logFiles(dir)).length > 5);
    }));

  it('lets a paging client see every event while appends rotate files under it', () =>
    withDir(async ({ open }) => {
      const log = await open({ maxFileBytes: 2000, maxFiles: 1000, recentEvents: 1 });
      const writing = Promise.all(range(1, 500).map((i) => log.append({ kind: 'k', message: `m${i}` })));
      const seen: number[] = [];
      while (seen.length < 500) {
        const page = await log.query({ since: seen.at(-1) ?? 0, limit: 7 });
        seen.push(...page.map((e) => e.id));
        if (page.length === 0) await new Promise((r) => setImmediate(r));
      }
      await writing;
      await log.close();
      assert.deepEqual(seen, range(1, 500));
    }));

  it('notifies subscribers only once the event is in the file', () =>
    withDir(async ({ dir, open }) => {
      const log = await open();
      const onDiskWhenNotified: boolean[] = [];
      log.subscribe((e) => {
        onDiskWhenNotified.push(readFileSync(join(dir, 'events.jsonl'), 'utf8').includes(`{"id":${e.id},`));
      });
      await Promise.all(range(1, 20).map(() => log.append({ kind: 'k', message: 'm' })));
      await log.close();
      assert.deepEqual(onDiskWhenNotified, range(1, 20).map(() => true));
    }));

  const badOptions: Array<{ name: string; options: JsonlEventLogOptions }> = [
    { name: 'maxFiles 0', options: { maxFiles: 0 } },
    { name: 'a fractional maxFileBytes', options: { maxFileBytes: 10.5 } },
    { name: 'recentEvents 0', options: { recentEvents: 0 } },
  ];
  for (const c of badOptions) {
    it(`refuses ${c.name}`, () =>
      withDir(async ({ open }) => {
        await assert.rejects(open(c.options), RangeError);
      }));
  }
});

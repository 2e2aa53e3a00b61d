// The behaviour every EventLog must have. Each implementation's test file calls eventLogContract
// with a factory; the JSONL log's file-specific behaviour (rotation, reopen, torn lines) is
// tested in test/unit/event-log-jsonl.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DsrEvent, EventLog, EventQuery, NewEvent } from '../../src/events/types.js';

/** A log under test and how to dispose of what the factory created. */
export interface EventLogHarness {
  log: EventLog;
  cleanup(): Promise<void>;
}

/** Creates an empty log using the given clock and warning sink. */
export type EventLogFactory = (options: { clock: () => Date; warn: (message: string) => void }) => Promise<EventLogHarness>;

/** A clock that starts at 2024-01-01T00:00:00Z and advances one second per call. */
export function steppingClock(): () => Date {
  let t = Date.parse('2024-01-01T00:00:00Z');
  return () => new Date((t += 1000) - 1000);
}

// The fixture the query table runs against: ids 1..10 in this order.
const FIXTURE: NewEvent[] = [
  { kind: 'manifest.invalid', message: 'bad yaml' },
  { kind: 'rollout.started', message: 's', service: 'web' },
  { kind: 'rollout.step', message: 's', service: 'web' },
  { kind: 'instance.replaced', message: 'r', service: 'api' },
  { kind: 'rollout.started', message: 's', service: 'api' },
  { kind: 'rollouts.custom', message: 'not a rollout. event', service: 'web' },
  { kind: 'rollout', message: 'bare kind', service: 'web' },
  { kind: 'rollout.aborted', message: 'a', service: 'web' },
  { kind: 'prune.blocked', message: 'p' },
  { kind: 'rollout.completed', message: 'c', service: 'api' },
];

/** Named query cases over FIXTURE: the query and the ids it must return, in order. */
export const QUERY_CASES: Array<{ name: string; query: EventQuery; ids: number[] }> = [
  { name: 'no filter returns every event, oldest first', query: {}, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  { name: 'limit without since keeps the newest matches', query: { limit: 3 }, ids: [8, 9, 10] },
  { name: 'since returns only later events', query: { since: 7 }, ids: [8, 9, 10] },
  { name: 'since with limit keeps the first matches after since', query: { since: 2, limit: 3 }, ids: [3, 4, 5] },
  { name: 'since at the last id returns nothing', query: { since: 10 }, ids: [] },
  { name: 'since 0 returns everything', query: { since: 0 }, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  { name: 'service filter is exact', query: { service: 'api' }, ids: [4, 5, 10] },
  { name: 'kind filter is exact', query: { kind: 'rollout.started' }, ids: [2, 5] },
  { name: "kind ending in '.' is a prefix", query: { kind: 'rollout.' }, ids: [2, 3, 5, 8, 10] },
  { name: "kind without '.' is not a prefix", query: { kind: 'rollout' }, ids: [7] },
  { name: 'service and kind prefix combine', query: { service: 'web', kind: 'rollout.' }, ids: [2, 3, 8] },
  { name: 'limit with a filter keeps the newest matches', query: { service: 'web', limit: 2 }, ids: [7, 8] },
  { name: 'a paging client gets the next match after since', query: { service: 'api', since: 4, limit: 1 }, ids: [5] },
  { name: 'limit 0 returns nothing', query: { limit: 0 }, ids: [] },
  { name: 'an unknown service matches nothing', query: { service: 'nope' }, ids: [] },
  { name: 'before returns only earlier events', query: { before: 4 }, ids: [1, 2, 3] },
  { name: 'before with limit keeps the newest matches below it', query: { before: 8, limit: 2 }, ids: [6, 7] },
  { name: 'since and before give a range', query: { since: 3, before: 7 }, ids: [4, 5, 6] },
  { name: 'before with a filter pages backwards', query: { kind: 'rollout.', before: 8, limit: 2 }, ids: [3, 5] },
  { name: 'before 1 returns nothing', query: { before: 1 }, ids: [] },
];

/**
 * Named bounded-scan cases over FIXTURE: the query, the budget, and what must come back. A scan
 * examines events in range in scan order (forward with `since`, backward without) and stops after
 * `max` of them, saying where it stopped, unless the limit filled first or the range ended.
 */
export const SCAN_CASES: Array<{ name: string; query: EventQuery; max: number; ids: number[]; resumeAt: number | null }> = [
  { name: 'a forward scan that spends its budget says where to resume', query: { since: 0, kind: 'prune.blocked' }, max: 4, ids: [], resumeAt: 4 },
  { name: 'resuming from there continues the scan', query: { since: 4, kind: 'prune.blocked' }, max: 4, ids: [], resumeAt: 8 },
  { name: 'a scan that reaches the end of the log has nothing to resume', query: { since: 8, kind: 'prune.blocked' }, max: 4, ids: [9], resumeAt: null },
  { name: 'a budget exactly covering the range still says where it stopped', query: { since: 6 }, max: 4, ids: [7, 8, 9, 10], resumeAt: 10 },
  { name: 'a scan that fills its limit first has nothing to resume', query: { since: 0, service: 'web', limit: 2 }, max: 4, ids: [2, 3], resumeAt: null },
  { name: 'matches found before the budget ran out are returned', query: { since: 0, kind: 'rollout.' }, max: 5, ids: [2, 3, 5], resumeAt: 5 },
  { name: 'a tail scan goes backwards and resumes with before', query: { kind: 'manifest.invalid' }, max: 3, ids: [], resumeAt: 8 },
  { name: 'resuming a tail scan with before', query: { kind: 'manifest.invalid', before: 8 }, max: 3, ids: [], resumeAt: 5 },
  { name: 'a tail scan that reaches the first event has nothing to resume', query: { kind: 'manifest.invalid', before: 5 }, max: 10, ids: [1], resumeAt: null },
  { name: 'a tail scan keeps matches oldest first', query: { service: 'api' }, max: 6, ids: [5, 10], resumeAt: 5 },
  { name: 'a forward scan stops at before without resuming', query: { since: 0, before: 3, kind: 'nomatch' }, max: 5, ids: [], resumeAt: null },
  { name: 'an unbounded scan is a query', query: { kind: 'rollout.' }, max: Infinity, ids: [2, 3, 5, 8, 10], resumeAt: null },
];

/** Registers the EventLog contract for one implementation. */
export function eventLogContract(name: string, factory: EventLogFactory): void {
  async function withLog(run: (log: EventLog, warnings: string[]) => Promise<void>): Promise<void> {
    const warnings: string[] = [];
    const { log, cleanup } = await factory({ clock: steppingClock(), warn: (m) => warnings.push(m) });
    try {
      await run(log, warnings);
    } finally {
      await log.close();
      await cleanup();
    }
  }

  describe(`EventLog contract: ${name}`, () => {
    it('assigns ids from 1, the clock time, and null/{} for omitted fields', () =>
      withLog(async (log) => {
        const e = await log.append({ kind: 'dsr.started', message: 'hello' });
        assert.deepEqual(e, {
          id: 1, time: '2024-01-01T00:00:00.000Z', kind: 'dsr.started',
          service: null, version: null, revision: null, message: 'hello', data: {},
        });
        const full = await log.append({ kind: 'k', message: 'm', service: 's', version: 'v2', revision: 'abc', data: { n: 1 } });
        assert.deepEqual({ ...full, time: '' }, { id: 2, time: '', kind: 'k', service: 's', version: 'v2', revision: 'abc', message: 'm', data: { n: 1 } });
      }));

    it('returns the event as a later query reads it back (JSON round trip)', () =>
      withLog(async (log) => {
        const data: Record<string, unknown> = { when: new Date(0), gone: undefined, nested: { a: [1, 2] } };
        const e = await log.append({ kind: 'k', message: 'm', data });
        (data.nested as { a: number[] }).a.push(3); // the caller's later mutation must not leak in
        assert.deepEqual(e.data, { when: '1970-01-01T00:00:00.000Z', nested: { a: [1, 2] } });
        assert.deepEqual(await log.query({}), [e]);
      }));

    describe('query', () => {
      for (const c of QUERY_CASES) {
        it(c.name, () =>
          withLog(async (log) => {
            for (const e of FIXTURE) await log.append(e);
            const got = await log.query(c.query);
            assert.deepEqual(got.map((e) => e.id), c.ids);
          }));
      }
    });

    describe('scan', () => {
      for (const c of SCAN_CASES) {
        it(c.name, () =>
          withLog(async (log) => {
            for (const e of FIXTURE) await log.append(e);
            const got = await log.scan(c.query, c.max);
            assert.deepEqual({ ids: got.events.map((e) => e.id), resumeAt: got.resumeAt }, { ids: c.ids, resumeAt: c.resumeAt });
          }));
      }

      it('pages through the whole log with resumeAt and finds every match exactly once', () =>
        withLog(async (log) => {
          for (let i = 0; i < 4; i++) for (const e of FIXTURE) await log.append(e);
          const forward: number[] = [];
          for (let since: number | null = 0, pages = 0; since !== null && pages < 100; pages++) {
            const page = await log.scan({ since, kind: 'rollout.', limit: 3 }, 4);
            forward.push(...page.events.map((e) => e.id));
            since = page.resumeAt ?? (page.events.length === 3 ? page.events.at(-1)!.id : null);
          }
          const all = (await log.query({ kind: 'rollout.' })).map((e) => e.id);
          assert.deepEqual(forward, all);
          const backward: number[] = [];
          for (let before: number | null = log.lastId() + 1, pages = 0; before !== null && pages < 100; pages++) {
            const page = await log.scan({ before, kind: 'rollout.', limit: 3 }, 4);
            backward.unshift(...page.events.map((e) => e.id));
            before = page.resumeAt ?? (page.events.length === 3 ? page.events[0]!.id : null);
          }
          assert.deepEqual(backward, all);
        }));

      it('rejects a budget that is not a positive integer', () =>
        withLog(async (log) => {
          await assert.rejects(log.scan({}, 0), RangeError);
          await assert.rejects(log.scan({}, 1.5), RangeError);
        }));
    });

    const badQueries: Array<{ name: string; query: EventQuery }> = [
      { name: 'negative limit', query: { limit: -1 } },
      { name: 'fractional since', query: { since: 1.5 } },
      { name: 'NaN limit', query: { limit: Number.NaN } },
      { name: 'negative before', query: { before: -2 } },
    ];
    for (const c of badQueries) {
      it(`rejects a query with ${c.name}`, () =>
        withLog(async (log) => {
          await assert.rejects(log.query(c.query), RangeError);
        }));
    }

    it('rejects an invalid event without using up an id', () =>
      withLog(async (log) => {
        await assert.rejects(log.append({ kind: '', message: 'm' }), TypeError);
        await assert.rejects(log.append({ kind: 'k', message: 42 as unknown as string }), TypeError);
        const e = await log.append({ kind: 'k', message: 'ok' });
        assert.equal(e.id, 1);
        assert.equal(log.lastId(), 1);
      }));

    it('gives concurrent appends unique ids in call order', () =>
      withLog(async (log) => {
        const events = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append({ kind: 'k', message: `m${i}` })));
        assert.deepEqual(events.map((e) => e.id), Array.from({ length: 200 }, (_, i) => i + 1));
        assert.deepEqual((await log.query({})).map((e) => e.message), events.map((e) => e.message));
      }));

    it('delivers appended events to subscribers in order until they unsubscribe', () =>
      withLog(async (log) => {
        const seen: number[] = [];
        const unsubscribe = log.subscribe((e) => seen.push(e.id));
        await Promise.all([1, 2, 3].map((i) => log.append({ kind: 'k', message: String(i) })));
        unsubscribe();
        await log.append({ kind: 'k', message: 'after' });
        assert.deepEqual(seen, [1, 2, 3]);
      }));

    it('keeps appending and notifying when a subscriber throws', () =>
      withLog(async (log, warnings) => {
        const seen: DsrEvent[] = [];
        log.subscribe(() => {
          throw new Error('boom');
        });
        log.subscribe((e) => seen.push(e));
        const e = await log.append({ kind: 'k', message: 'm' });
        assert.deepEqual(seen, [e]);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, /boom/);
      }));

    it('reports lastId and a growing size', () =>
      withLog(async (log) => {
        assert.equal(log.lastId(), 0);
        assert.equal(log.sizeBytes(), 0);
        await log.append({ kind: 'k', message: 'm' });
        const one = log.sizeBytes();
        await log.append({ kind: 'k', message: 'm' });
        assert.equal(log.lastId(), 2);
        assert.ok(one > 0 && log.sizeBytes() > one, `sizes ${one} then ${log.sizeBytes()}`);
      }));

    it('finishes pending appends on close and rejects later calls', () =>
      withLog(async (log) => {
        const pending = log.append({ kind: 'k', message: 'm' });
        await log.close();
        assert.equal((await pending).id, 1);
        await assert.rejects(log.append({ kind: 'k', message: 'late' }), /closed/);
        await assert.rejects(log.query({}), /closed/);
      }));
  });
}

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

    const badQueries: Array<{ name: string; query: EventQuery }> = [
      { name: 'negative limit', query: { limit: -1 } },
      { name: 'fractional since', query: { since: 1.5 } },
      { name: 'NaN limit', query: { limit: Number.NaN } },
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

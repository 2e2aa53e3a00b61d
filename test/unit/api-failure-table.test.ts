import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FailureTable, type FailureVerdict } from '../../src/api/failure-table.js';

const S = 1_000;
const OPTIONS = { allowed: 3, windowMs: 60 * S, maxEntries: 4 };

/** Failures as [client, time]; the verdict of the last one is checked. */
function run(failures: Array<[string, number]>, options = OPTIONS): { table: FailureTable; last: FailureVerdict } {
  const table = new FailureTable(options);
  let last: FailureVerdict | undefined;
  for (const [client, at] of failures) last = table.fail(client, at);
  return { table, last: last! };
}

describe('failure table', () => {
  const cases: Array<{ name: string; failures: Array<[string, number]>; want: FailureVerdict }> = [
    { name: 'a first failure is answered 401', failures: [['a', 0]], want: { status: 401, failures: 1 } },
    { name: 'failures up to the allowance are answered 401', failures: [['a', 0], ['a', S], ['a', 2 * S]], want: { status: 401, failures: 3 } },
    {
      name: 'the failure past the allowance is 429 until the window of the first one ends',
      failures: [['a', 0], ['a', S], ['a', 2 * S], ['a', 10 * S]],
      want: { status: 429, failures: 4, retryAfterMs: 50 * S },
    },
    {
      name: 'another address has its own count',
      failures: [['a', 0], ['a', S], ['a', 2 * S], ['a', 3 * S], ['b', 4 * S]],
      want: { status: 401, failures: 1 },
    },
    {
      name: 'the count starts again once the window has passed',
      failures: [['a', 0], ['a', S], ['a', 2 * S], ['a', 3 * S], ['a', 60 * S]],
      want: { status: 401, failures: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(run(c.failures).last, c.want));
  }

  it('forgets addresses whose window has passed', () => {
    const { table } = run([['a', 0], ['b', S], ['c', 2 * S]]);
    assert.equal(table.size, 3);
    table.fail('d', 61.5 * S);
    assert.equal(table.size, 2, 'a and b expired at 60 s and 61 s');
    assert.equal(table.failures('c', 61.5 * S), 1);
    assert.equal(table.failures('c', 62 * S), 0, 'reads past the window see nothing');
  });

  it('keeps at most maxEntries addresses, forgetting the least recently failed', () => {
    const { table } = run([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['a', 4], ['e', 5]]);
    assert.equal(table.size, 4);
    assert.equal(table.failures('b', 6), 0, 'b failed least recently');
    assert.equal(table.failures('a', 6), 2, 'a failed again, so it stayed');
  });

  it('stays bounded under a flood of distinct addresses', () => {
    const table = new FailureTable({ allowed: 10, windowMs: 60 * S, maxEntries: 1000 });
    for (let i = 0; i < 50_000; i++) table.fail(`10.0.${i >> 8}.${i & 255}`, i);
    assert.equal(table.size, 1000);
  });

  it('refuses nonsense options', () => {
    assert.throws(() => new FailureTable({ ...OPTIONS, maxEntries: 0 }), /maxEntries must be a positive integer/);
    assert.throws(() => new FailureTable({ ...OPTIONS, windowMs: 1.5 }), /windowMs/);
  });
});

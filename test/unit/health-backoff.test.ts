import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKOFF, backoffDelay, canAttempt, describeBackoff, formatWait, recordFailure, settle, type BackoffState,
} from '../../src/health/backoff.js';

const S = 1_000;
const MIN = 60 * S;

function history(failureTimes: number[]): BackoffState | undefined {
  let state: BackoffState | undefined;
  for (const t of failureTimes) state = recordFailure(state, t);
  return state;
}

describe('replacement back-off', () => {
  const cases: Array<{
    name: string;
    failures: number[];
    at: number;
    state: BackoffState | undefined;
    canAttempt: boolean;
    description: string | null;
    kept: boolean;
  }> = [
    {
      name: 'a version that never failed may be replaced at any time',
      failures: [], at: 0, state: undefined, canAttempt: true, description: null, kept: false,
    },
    {
      name: 'the first failure is replaced at once',
      failures: [5 * S], at: 5 * S,
      state: { failures: 1, lastFailureAt: 5 * S, nextAttemptAt: 5 * S }, canAttempt: true, description: null, kept: true,
    },
    {
      name: 'the second failure waits 10 s',
      failures: [0, 1 * S], at: 10_999,
      state: { failures: 2, lastFailureAt: 1 * S, nextAttemptAt: 11 * S },
      canAttempt: false, description: 'back-off: 2 replacements failed, next attempt in 1s', kept: true,
    },
    {
      name: 'the wait ends exactly at nextAttemptAt',
      failures: [0, 1 * S], at: 11 * S,
      state: { failures: 2, lastFailureAt: 1 * S, nextAttemptAt: 11 * S }, canAttempt: true, description: null, kept: true,
    },
    {
      name: 'the third failure waits 20 s',
      failures: [0, 1 * S, 12 * S], at: 12 * S,
      state: { failures: 3, lastFailureAt: 12 * S, nextAttemptAt: 32 * S },
      canAttempt: false, description: 'back-off: 3 replacements failed, next attempt in 20s', kept: true,
    },
    {
      name: 'the fourth failure waits 40 s',
      failures: [0, 1 * S, 12 * S, 33 * S], at: 33 * S,
      state: { failures: 4, lastFailureAt: 33 * S, nextAttemptAt: 73 * S },
      canAttempt: false, description: 'back-off: 4 replacements failed, next attempt in 40s', kept: true,
    },
    {
      name: 'the wait is capped at 5 minutes',
      failures: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], at: 0,
      state: { failures: 10, lastFailureAt: 0, nextAttemptAt: 5 * MIN },
      canAttempt: false, description: 'back-off: 10 replacements failed, next attempt in 5m', kept: true,
    },
    {
      name: 'the history is kept one millisecond short of 10 quiet minutes',
      failures: [0], at: 10 * MIN - 1,
      state: { failures: 1, lastFailureAt: 0, nextAttemptAt: 0 }, canAttempt: true, description: null, kept: true,
    },
    {
      name: 'the history is forgotten after 10 minutes without a failure',
      failures: [0], at: 10 * MIN,
      state: { failures: 1, lastFailureAt: 0, nextAttemptAt: 0 }, canAttempt: true, description: null, kept: false,
    },
    {
      name: 'the quiet period counts from the end of the wait, when the replacement started',
      failures: [0, 0], at: 10 * S + 10 * MIN - 1,
      state: { failures: 2, lastFailureAt: 0, nextAttemptAt: 10 * S }, canAttempt: true, description: null, kept: true,
    },
    {
      name: 'a failure after a quiet period starts over and is replaced at once',
      failures: [0, 1 * S, 12 * S, 20 * MIN], at: 20 * MIN,
      state: { failures: 1, lastFailureAt: 20 * MIN, nextAttemptAt: 20 * MIN }, canAttempt: true, description: null, kept: true,
    },
    {
      name: 'a failure within the quiet period keeps climbing',
      failures: [0, 1 * S, 9 * MIN], at: 9 * MIN + 5 * S,
      state: { failures: 3, lastFailureAt: 9 * MIN, nextAttemptAt: 9 * MIN + 20 * S },
      canAttempt: false, description: 'back-off: 3 replacements failed, next attempt in 15s', kept: true,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const state = history(c.failures);
      assert.deepEqual(state, c.state);
      assert.equal(canAttempt(state, c.at), c.canAttempt);
      assert.equal(describeBackoff(state, c.at), c.description);
      assert.equal(settle(state, c.at), c.kept ? state : undefined);
    });
  }
});

describe('backoffDelay', () => {
  const cases: Array<[string, number, number]> = [
    ['no failure, no wait', 0, 0],
    ['the first failure, no wait', 1, 0],
    ['the second failure, the initial wait', 2, BACKOFF.initialMs],
    ['the third failure, doubled', 3, 20 * S],
    ['the sixth failure, 160 s', 6, 160 * S],
    ['the seventh failure, capped (320 s > 300 s)', 7, BACKOFF.maxMs],
    ['a thousand failures, still capped and finite', 1_000, BACKOFF.maxMs],
  ];
  for (const [name, failures, expected] of cases) {
    it(name, () => assert.equal(backoffDelay(failures), expected));
  }
});

describe('formatWait', () => {
  const cases: Array<[string, number, string]> = [
    ['rounds a partial second up', 1, '1s'],
    ['whole seconds', 40 * S, '40s'],
    ['minutes and seconds', 90 * S, '1m30s'],
    ['whole minutes', 5 * MIN, '5m'],
    ['never negative', -5 * S, '0s'],
  ];
  for (const [name, ms, expected] of cases) {
    it(name, () => assert.equal(formatWait(ms), expected));
  }
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DRAIN_POLL_MS, drainStep, stopTimeoutSeconds, type DrainInput, type DrainStep } from '../../src/plan/drain.js';

describe('drainStep', () => {
  const at = (over: Partial<DrainInput>): DrainInput => ({ inFlight: 0, startedAt: 0, gracePeriodMs: 10_000, now: 0, ...over });
  const cases: Array<{ name: string; input: DrainInput; expected: DrainStep }> = [
    { name: 'stops at once when nothing is in flight', input: at({}), expected: { kind: 'stop', inFlight: 0, timedOut: false } },
    { name: 'waits one poll while requests are in flight', input: at({ inFlight: 2, now: 3_000 }), expected: { kind: 'wait', wakeAt: 3_000 + DRAIN_POLL_MS } },
    { name: 'never sleeps past the end of the grace period', input: at({ inFlight: 1, now: 9_990 }), expected: { kind: 'wait', wakeAt: 10_000 } },
    { name: 'stops with what is left once the grace period is over', input: at({ inFlight: 2, now: 10_000 }), expected: { kind: 'stop', inFlight: 2, timedOut: true } },
    { name: 'stops when the last request finishes just before the deadline', input: at({ inFlight: 0, now: 9_999 }), expected: { kind: 'stop', inFlight: 0, timedOut: false } },
    { name: 'a zero grace period cuts requests in flight at once', input: at({ inFlight: 3, gracePeriodMs: 0 }), expected: { kind: 'stop', inFlight: 3, timedOut: true } },
    { name: 'counts the grace period from when the instance left the routes', input: at({ inFlight: 1, startedAt: 5_000, now: 14_000 }), expected: { kind: 'wait', wakeAt: 14_000 + DRAIN_POLL_MS } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(drainStep(c.input), c.expected));
});

describe('stopTimeoutSeconds', () => {
  const cases: Array<[string, number, number]> = [
    ['keeps whole seconds', 10_000, 10],
    ['rounds a part second up, never shortening the grace period', 1_500, 2],
    ['gives 1 s to a sub-second grace period', 200, 1],
    ['kills at once for 0', 0, 0],
  ];
  for (const [name, ms, s] of cases) it(name, () => assert.equal(stopTimeoutSeconds(ms), s));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// A plain browser module without types: its JSDoc says what it takes.
// @ts-expect-error no declaration file for the dashboard's JavaScript
import { rolloutHistory } from '../../src/api/dashboard/history.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
let id = 0;
function e(kind: string, seconds: number, version: string | null = 'v2', data: Record<string, unknown> = {}, message = kind) {
  return { id: ++id, time: new Date(T0 + seconds * 1000).toISOString(), kind, version, message, data };
}

interface Row { canary: string; stable: string | null; result: string; weights: number[]; verdicts: Record<string, number>; durationMs: number | null; reason: string | null }
const history = rolloutHistory as (events: ReturnType<typeof e>[], now?: number) => Row[];

describe('rollout history from events', () => {
  it('a completed rollout with its steps, verdicts and duration', () => {
    const [row] = history([
      e('rollout.started', 0, 'v2', { stable: 'v1' }),
      e('rollout.weight', 1, 'v2', { from: 0, to: 25 }),
      e('analysis.pass', 3),
      e('analysis.inconclusive', 5),
      e('rollout.weight', 6, 'v2', { from: 25, to: 100 }),
      e('rollout.completed', 90, 'v2'),
    ]);
    assert.deepEqual({ ...row, started: undefined, ended: undefined }, {
      canary: 'v2', stable: 'v1', result: 'completed', weights: [25, 100], verdicts: { pass: 1, fail: 0, inconclusive: 1 }, durationMs: 90_000, reason: null, started: undefined, ended: undefined,
    });
  });

  it('an aborted rollout keeps the reason', () => {
    const [row] = history([e('rollout.started', 0), e('analysis.fail', 2), e('rollout.aborted', 4, 'v2', {}, 'rollout of v2 aborted: error rate')]);
    assert.equal(row!.result, 'aborted');
    assert.equal(row!.reason, 'rollout of v2 aborted: error rate');
    assert.equal(row!.verdicts.fail, 1);
  });

  it('a replacement ends the rollout it replaces, newest first', () => {
    const rows = history([e('rollout.started', 0, 'v2'), e('rollout.replaced', 10, 'v3', { stable: 'v1' })], T0 + 25_000);
    assert.deepEqual(rows.map((r) => [r.canary, r.result, r.durationMs]), [['v3', 'in progress', 15_000], ['v2', 'replaced', 10_000]]);
  });

  it('ignores events before the first start', () => {
    assert.deepEqual(history([e('analysis.pass', 0), e('rollout.completed', 1)]), []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue, defaultErrorBackoff } from '../../src/controller/work-queue.js';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('collapses a burst of adds for one key: the pass already running, plus one more', async () => {
    const seen: string[] = [];
    const q = new WorkQueue(async (k) => { seen.push(k); return {}; }, { concurrency: 2 });
    for (let i = 0; i < 100; i++) q.add('web');
    await q.idle();
    assert.deepEqual(seen, ['web', 'web']);
  });

  it('never runs one key twice at once, and runs it again when added during a pass', async () => {
    let running = 0;
    let maxRunning = 0;
    let passes = 0;
    const q = new WorkQueue(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      passes++;
      if (passes === 1) q.add('web');
      await tick();
      running--;
      return {};
    }, { concurrency: 4 });
    q.add('web');
    await tick(30);
    await q.idle();
    assert.equal(maxRunning, 1);
    assert.equal(passes, 2);
  });

  it('runs different keys in parallel up to the concurrency', async () => {
    let running = 0;
    let maxRunning = 0;
    const q = new WorkQueue(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick(10);
      running--;
      return {};
    }, { concurrency: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
    await q.idle();
    assert.equal(maxRunning, 3);
  });

  it('lets other keys run while a pass that released its slot waits, but never runs that key twice', async () => {
    const order: string[] = [];
    let draining = 0;
    let finishDrain: () => void = () => undefined;
    const drained = new Promise<void>((r) => (finishDrain = r));
    const q = new WorkQueue(async (k, release) => {
      order.push(`start ${k}`);
      if (k === 'web' && draining++ === 0) {
        release();
        release(); // twice is harmless
        q.add('web'); // arrives during the drain: runs once after it
        await drained;
      }
      order.push(`end ${k}`);
      return {};
    }, { concurrency: 1 });
    q.add('web');
    q.add('api');
    q.add('db');
    await tick(20);
    assert.deepEqual(order, ['start web', 'start api', 'end api', 'start db', 'end db']);
    finishDrain();
    await q.idle();
    assert.deepEqual(order.slice(5), ['end web', 'start web', 'end web']);
  });

  it('retries a failing key with back-off and reports the error', async () => {
    let calls = 0;
    const errors: number[] = [];
    const q = new WorkQueue(async () => {
      calls++;
      if (calls < 3) throw new Error('boom');
      return {};
    }, { concurrency: 1, errorBackoffMs: (n) => n * 5, onError: (_k, _e, retry) => errors.push(retry) });
    q.add('web');
    await tick(80);
    assert.equal(calls, 3);
    assert.deepEqual(errors, [5, 10]);
    q.stop();
  });

  it('requeues after the delay a pass asks for', async () => {
    let calls = 0;
    const q = new WorkQueue(async () => (++calls === 1 ? { requeueAfterMs: 20 } : {}), { concurrency: 1 });
    q.add('web');
    await tick(5);
    assert.equal(calls, 1);
    await tick(40);
    assert.equal(calls, 2);
    q.stop();
  });

  const backoff: Array<[number, number]> = [[1, 500], [2, 1000], [3, 2000], [8, 60_000], [20, 60_000]];
  for (const [n, ms] of backoff) it(`backs off ${ms} ms after ${n} failure(s)`, () => assert.equal(defaultErrorBackoff(n), ms));
});

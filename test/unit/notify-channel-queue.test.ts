import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/notify/alert.js';
import { ChannelQueue } from '../../src/notify/channel-queue.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { DEFAULT_RETRY, retryDelay } from '../../src/notify/retry.js';

const alert = (subject: string): Alert => ({
  key: subject, type: 'instance.replaced', severity: 'warning', subject, text: subject, service: 'web', version: 'v1', revision: null, time: '', eventIds: [1],
});

/** A channel that fails its first `failures` attempts, or hangs forever when `hang` is set. */
class FakeChannel implements Notifier {
  readonly name = 'fake';
  readonly delivered: string[] = [];
  attempts = 0;
  constructor(private failures: number, private hang = false) {}
  async send(a: Alert): Promise<void> {
    this.attempts++;
    if (this.hang) return new Promise(() => undefined);
    if (this.failures-- > 0) throw new Error('connection refused');
    this.delivered.push(a.subject);
  }
}

describe('retry back-off', () => {
  const cases: Array<[failed: number, delay: number | null]> = [[1, 1_000], [2, 2_000], [3, 4_000], [8, 128_000], [9, 256_000], [10, null]];
  for (const [failed, delay] of cases) {
    it(`waits ${delay === null ? 'no more' : `${delay} ms`} after ${failed} failed attempt(s)`, () => assert.equal(retryDelay(failed), delay));
  }
  it('caps the wait at 5 minutes', () => assert.equal(retryDelay(12, { ...DEFAULT_RETRY, maxAttempts: 20 }), 300_000));
});

describe('channel queue', () => {
  const fast = { initialMs: 5, maxMs: 20, maxAttempts: 4 };

  it('retries a failing channel and delivers in order', async () => {
    const channel = new FakeChannel(2);
    const logs: string[] = [];
    const q = new ChannelQueue(channel, { retry: fast, log: (m) => logs.push(m) });
    q.push(alert('a'));
    q.push(alert('b'));
    await q.idle();
    assert.deepEqual(channel.delivered, ['a', 'b']);
    assert.equal(channel.attempts, 4);
    assert.match(logs.join('\n'), /sending "a" failed \(attempt 1\/4\): connection refused; retrying/);
    assert.match(logs.join('\n'), /delivered "a" on attempt 3/);
  });

  it('drops an alert with a log line once its attempts are used up', async () => {
    const channel = new FakeChannel(100);
    const logs: string[] = [];
    const q = new ChannelQueue(channel, { retry: fast, log: (m) => logs.push(m) });
    q.push(alert('a'));
    await q.idle();
    assert.equal(channel.attempts, 4);
    assert.match(logs.at(-1)!, /dropped "a" after 4 failed attempt\(s\): connection refused/);
  });

  it('keeps at most `limit` alerts behind a hung channel, dropping the oldest', async () => {
    const channel = new FakeChannel(0, true);
    const logs: string[] = [];
    const q = new ChannelQueue(channel, { limit: 3, log: (m) => logs.push(m) });
    q.push(alert('first'));
    await new Promise((r) => setImmediate(r)); // 'first' is now in flight, hanging
    for (let i = 0; i < 1000; i++) q.push(alert(`n${i}`));
    assert.equal(q.size, 3);
    assert.equal(logs.filter((l) => l.includes('queue full')).length, 997);
    assert.match(logs[0]!, /queue full \(3 waiting\); dropped the oldest alert "n0"/);
    q.close();
  });

  it('counts an attempt that never settles as failed', async () => {
    const channel = new FakeChannel(0, true);
    const logs: string[] = [];
    const q = new ChannelQueue(channel, { retry: { ...fast, maxAttempts: 2 }, attemptTimeoutMs: 30, log: (m) => logs.push(m) });
    q.push(alert('a'));
    await q.idle();
    assert.equal(channel.attempts, 2);
    assert.match(logs.at(-1)!, /dropped "a" after 2 failed attempt\(s\): no answer within 0.03 s/);
  });

  it('stops retrying on close', async () => {
    const channel = new FakeChannel(100);
    const logs: string[] = [];
    const q = new ChannelQueue(channel, { retry: { initialMs: 60_000, maxMs: 60_000, maxAttempts: 5 }, log: (m) => logs.push(m) });
    q.push(alert('a'));
    await new Promise((r) => setTimeout(r, 20));
    q.close();
    await q.idle();
    assert.equal(channel.attempts, 1);
    assert.match(logs.at(-1)!, /dropped "a" at shutdown/);
  });
});

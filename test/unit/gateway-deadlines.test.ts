import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadlines } from '../../src/gateway/deadlines.js';
import type { Expiring } from '../../src/gateway/deadlines.js';

function item(deadline: number, expired: string[], name: string): Expiring {
  return { deadline, deadlineSlot: -1, expire: () => expired.push(name) };
}

describe('deadlines', () => {
  it('expires what is due on a sweep, once, and keeps the rest', async () => {
    let now = 0;
    const d = new Deadlines(() => now, 10);
    const expired: string[] = [];
    const a = item(100, expired, 'a');
    const b = item(300, expired, 'b');
    const c = item(Infinity, expired, 'c');
    d.add(a);
    d.add(b);
    d.add(c);
    now = 150;
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(expired, ['a']);
    assert.equal(d.size, 2);
    d.delete(b);
    now = 1000;
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(expired, ['a']);
    assert.equal(d.size, 1);
    d.close();
    assert.equal(c.deadlineSlot, -1);
  });

  it('keeps slots consistent when removing from the middle', () => {
    const d = new Deadlines(() => 0, 1000);
    const items = ['a', 'b', 'c', 'd'].map((n) => item(Infinity, [], n));
    for (const i of items) d.add(i);
    d.delete(items[1]!);
    d.delete(items[1]!); // twice is harmless
    assert.deepEqual(items.map((i) => i.deadlineSlot), [0, -1, 2, 1]);
    d.close();
  });
});

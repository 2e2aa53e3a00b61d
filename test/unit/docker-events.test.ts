import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { backoffDelay, toRuntimeEvent, watchEvents } from '../../src/docker/event-stream.js';
import type { RuntimeEvent } from '../../src/runtime/runtime.js';

const attrs = { 'dsr.service': 'web', 'dsr.version': 'v1', name: 'dsr-web-v1-1' };
const dieLine = JSON.stringify({ Type: 'container', Action: 'die', Actor: { ID: 'c1', Attributes: attrs } });

describe('backoffDelay', () => {
  const cases: Array<[string, number, number]> = [
    ['starts at half a second', 0, 500],
    ['doubles', 1, 1000],
    ['keeps doubling', 5, 16_000],
    ['caps at 30 s', 6, 30_000],
    ['stays capped for huge attempts', 1000, 30_000],
  ];
  for (const [name, attempt, want] of cases) it(name, () => assert.equal(backoffDelay(attempt), want));
});

describe('toRuntimeEvent', () => {
  const cases: Array<{ name: string; raw: unknown; want: RuntimeEvent | null }> = [
    { name: 'reads a die', raw: JSON.parse(dieLine), want: { type: 'container', action: 'die', containerId: 'c1', service: 'web', version: 'v1' } },
    { name: 'reads a destroy', raw: { Type: 'container', Action: 'destroy', Actor: { ID: 'c2', Attributes: attrs } }, want: { type: 'container', action: 'destroy', containerId: 'c2', service: 'web', version: 'v1' } },
    { name: 'drops health status events', raw: { Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'c1', Attributes: attrs } }, want: null },
    { name: 'drops exec events', raw: { Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'c1', Attributes: attrs } }, want: null },
    { name: 'drops network events', raw: { Type: 'network', Action: 'connect', Actor: { ID: 'n1', Attributes: attrs } }, want: null },
    { name: 'drops a container without DSR labels', raw: { Type: 'container', Action: 'die', Actor: { ID: 'c1', Attributes: {} } }, want: null },
    { name: 'drops garbage', raw: { unparsed: 'oops' }, want: null },
    { name: 'drops non-objects', raw: 42, want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toRuntimeEvent(c.raw), c.want));
});

/** Waits until `events` satisfies `done`, polling every 5 ms, up to 2 s. */
async function until(events: RuntimeEvent[], done: (e: RuntimeEvent[]) => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(events.map((e) => e.type))}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('watchEvents', () => {
  it('emits connected, then the events of a stream split across chunks', async () => {
    const stream = new PassThrough();
    const seen: RuntimeEvent[] = [];
    const stop = watchEvents({ connect: async () => stream, onEvent: (e) => seen.push(e) });
    await until(seen, (s) => s.length === 1);
    stream.write(dieLine.slice(0, 20));
    stream.write(`${dieLine.slice(20)}\n${dieLine}\n`);
    await until(seen, (s) => s.length === 3);
    stop();
    assert.deepEqual(seen.map((e) => (e.type === 'container' ? e.action : e.type)), ['connected', 'die', 'die']);
  });

  it('reconnects after the stream ends and reports one disconnection per outage', async () => {
    const streams: PassThrough[] = [];
    let failures = 2;
    const seen: RuntimeEvent[] = [];
    const stop = watchEvents({
      connect: async () => {
        if (streams.length === 1 && failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        const s = new PassThrough();
        streams.push(s);
        return s;
      },
      onEvent: (e) => seen.push(e),
      initialDelayMs: 5,
    });
    await until(seen, (s) => s.length === 1);
    streams[0]?.end();
    await until(seen, (s) => s.length === 3);
    streams[1]?.write(`${dieLine}\n`);
    await until(seen, (s) => s.length === 4);
    stop();
    assert.deepEqual(seen.map((e) => e.type), ['connected', 'disconnected', 'connected', 'container']);
    assert.equal(streams.length, 2, 'two failed attempts in between, then one new stream');
  });

  it('wraps the failure it reports', async () => {
    const seen: RuntimeEvent[] = [];
    const stop = watchEvents({
      connect: async () => {
        throw new Error('boom');
      },
      onEvent: (e) => seen.push(e),
      wrapError: (err) => new Error('wrapped', { cause: err }),
      initialDelayMs: 1000,
    });
    await until(seen, (s) => s.length === 1);
    stop();
    const [event] = seen;
    assert.equal(event?.type, 'disconnected');
    assert.equal(event?.type === 'disconnected' && event.error.message, 'wrapped');
  });

  it('stops for good: no reconnection and no events after stop', async () => {
    let connects = 0;
    const stream = new PassThrough();
    const seen: RuntimeEvent[] = [];
    const stop = watchEvents({
      connect: async () => {
        connects++;
        return stream;
      },
      onEvent: (e) => seen.push(e),
      initialDelayMs: 5,
    });
    await until(seen, (s) => s.length === 1);
    stop();
    assert.equal(stream.destroyed, true, 'the stream is closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(connects, 1);
    assert.deepEqual(seen.map((e) => e.type), ['connected']);
  });
});

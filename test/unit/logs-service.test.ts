import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawLogLine } from '../../src/runtime/runtime.js';
import type { LogOptions, LogReader } from '../../src/runtime/runtime.js';
import { interleave, streamServiceLogs, timeKey, type LogInstance, type LogLine } from '../../src/logs/service-logs.js';
import { logParams } from '../../src/api/logs.js';

const at = (s: number, frac = ''): string => `2026-01-02T03:04:${String(s).padStart(2, '0')}${frac}Z`;
const line = (instance: string, s: number, text = `${instance}@${s}`): LogLine => ({ instance, version: 'v1', stream: 'stdout', time: at(s), line: text });

describe('log interleaving', () => {
  it('orders lines of several instances by time', () => {
    const got = interleave([[line('a', 1), line('a', 3)], [line('b', 2)]]);
    assert.deepEqual(got.map((l) => l.line), ['a@1', 'b@2', 'a@3']);
  });
  it('keeps a line without a timestamp after the line before it', () => {
    const got = interleave([[line('a', 1), { ...line('a', 0), time: '', line: 'untimed' }, line('a', 5)], [line('b', 2)]]);
    assert.deepEqual(got.map((l) => l.line), ['a@1', 'untimed', 'b@2', 'a@5']);
  });
  const keys: Array<[string, string, string]> = [
    ['a shorter fraction', at(5, '.1'), at(5, '.12')],
    ['no fraction', at(5), at(5, '.000000001')],
    ['the next second', at(5, '.999999999'), at(6)],
  ];
  for (const [name, a, b] of keys) it(`compares timestamps as text: ${name}`, () => assert.ok(timeKey(a) < timeKey(b)));
});

/** A reader over fixed per-container lines; a followed container also gets `live` lines pushed by the test. */
class FakeReader implements LogReader {
  readonly calls: Array<{ id: string } & Omit<LogOptions, 'signal'>> = [];
  readonly listeners = new Map<string, (l: RawLogLine) => void>();
  constructor(readonly history: Record<string, Array<[number, string]>>) {}
  async logs(id: string, options: LogOptions, onLine: (l: RawLogLine) => void): Promise<void> {
    this.calls.push({ id, follow: options.follow, tail: options.tail, ...(options.sinceMs === undefined ? {} : { sinceMs: options.sinceMs }) });
    for (const [s, text] of this.history[id] ?? []) {
      const time = at(s);
      if (options.sinceMs !== undefined && Date.parse(time) < Math.floor(options.sinceMs / 1000) * 1000) continue;
      onLine({ stream: 'stdout', time, timeMs: Date.parse(time), text });
    }
    if (!options.follow) return;
    this.listeners.set(id, onLine);
    await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
  }
  push(id: string, s: number, text: string): void {
    this.history[id] = [...(this.history[id] ?? []), [s, text]];
    this.listeners.get(id)?.({ stream: 'stdout', time: at(s), timeMs: Date.parse(at(s)), text });
  }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 15));

describe('service logs', () => {
  it('prints the history of every instance interleaved, once, without following', async () => {
    const reader = new FakeReader({ a: [[1, 'a1'], [3, 'a3']], b: [[2, 'b2']] });
    const out: string[] = [];
    await streamServiceLogs({
      reader, instances: () => [{ id: 'a', name: 'web-v1-1', version: 'v1', state: 'running' }, { id: 'b', name: 'web-v2-1', version: 'v2', state: 'running' }],
      tail: 10, follow: false, signal: new AbortController().signal, emit: (l) => out.push(`${l.instance} ${l.line}`) > 0,
    });
    assert.deepEqual(out, ['web-v1-1 a1', 'web-v2-1 b2', 'web-v1-1 a3']);
  });

  it('keeps to one version when asked', async () => {
    const reader = new FakeReader({ a: [[1, 'a1']], b: [[2, 'b2']] });
    const out: string[] = [];
    await streamServiceLogs({
      reader, instances: () => [{ id: 'a', name: 'web-v1-1', version: 'v1', state: 'running' }, { id: 'b', name: 'web-v2-1', version: 'v2', state: 'running' }],
      version: 'v2', tail: 10, follow: false, signal: new AbortController().signal, emit: (l) => out.push(l.line) > 0,
    });
    assert.deepEqual(out, ['b2']);
  });

  it('follows new lines without repeating history, and picks up a replacement instance from its first line', async () => {
    const reader = new FakeReader({ a: [[1, 'a1'], [2, 'a2']] });
    let instances: LogInstance[] = [{ id: 'a', name: 'web-v1-1', version: 'v1', state: 'running' }];
    const out: string[] = [];
    const stop = new AbortController();
    const done = streamServiceLogs({ reader, instances: () => instances, tail: 10, follow: true, signal: stop.signal, emit: (l) => out.push(`${l.instance} ${l.line}`) > 0, pollMs: 5, now: () => Date.parse(at(2)) });
    await tick();
    reader.push('a', 4, 'a4');
    // The instance is killed and replaced by a new container that already wrote a line.
    instances = [{ id: 'a', name: 'web-v1-1', version: 'v1', state: 'exited' }, { id: 'c', name: 'web-v1-1', version: 'v1', state: 'running' }];
    reader.history.c = [[5, 'c5']];
    await tick();
    reader.push('c', 6, 'c6');
    await tick();
    stop.abort();
    await done;
    assert.deepEqual(out, ['web-v1-1 a1', 'web-v1-1 a2', 'web-v1-1 a4', 'web-v1-1 c5', 'web-v1-1 c6']);
  });

  it('stops when the client cannot keep up', async () => {
    const reader = new FakeReader({ a: [[1, 'a1'], [2, 'a2'], [3, 'a3']] });
    const out: string[] = [];
    await streamServiceLogs({ reader, instances: () => [{ id: 'a', name: 'x', version: 'v1', state: 'running' }], tail: 10, follow: true, signal: new AbortController().signal, emit: (l) => out.push(l.line) < 2, pollMs: 5 });
    assert.deepEqual(out, ['a1', 'a2']);
  });
});

describe('log parameters', () => {
  const now = Date.parse('2026-01-02T03:00:00Z');
  const cases: Array<[string, Record<string, string>, ReturnType<typeof logParams> | RegExp]> = [
    ['defaults: the last 200 lines, no follow', {}, { follow: false, tail: 200 }],
    ['follow and a version', { follow: '1', version: 'v2' }, { follow: true, version: 'v2', tail: 200 }],
    ['a relative since reads everything since then (capped)', { since: '10m' }, { follow: false, sinceMs: now - 600_000, tail: 10_000 }],
    ['an absolute since', { since: '2026-01-02T02:00:00Z', tail: '5' }, { follow: false, sinceMs: now - 3_600_000, tail: 5 }],
    ['a tail above the cap is capped', { tail: '999999' }, { follow: false, tail: 10_000 }],
    ['a bad tail', { tail: 'lots' }, /tail must be/],
    ['a bad since', { since: 'yesterday' }, /since must be/],
  ];
  for (const [name, query, expected] of cases) {
    it(name, () => {
      if (expected instanceof RegExp) assert.throws(() => logParams(query, now), expected);
      else assert.deepEqual(logParams(query, now), expected);
    });
  }
});

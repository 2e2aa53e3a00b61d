// Reading the event routes' parameters: the page query, the stream's starting point, and the 400s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParamError, pageQuery, streamStart } from '../../src/api/event-params.js';
import { readApiEnv } from '../../src/api/api-env.js';

describe('GET /events parameters', () => {
  const ok: Array<[string, Record<string, unknown>, object]> = [
    ['defaults to the newest 100', {}, { limit: 100 }],
    ['reads since, service, kind and limit', { since: '40', service: 'web', kind: 'rollout.', limit: '5' }, { since: 40, service: 'web', kind: 'rollout.', limit: 5 }],
    ['caps limit at 10000', { limit: '50000' }, { limit: 10_000 }],
    ['takes empty values as absent', { since: '', service: '', limit: '' }, { limit: 100 }],
    ['accepts limit 0', { limit: '0' }, { limit: 0 }],
    ['reads before, the cursor of a backward page', { before: '900', limit: '10' }, { before: 900, limit: 10 }],
  ];
  for (const [name, query, want] of ok) it(name, () => assert.deepEqual(pageQuery(query), want));

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a negative since', { since: '-1' }, /since must be a non-negative integer/],
    ['a non-numeric limit', { limit: 'ten' }, /limit must be a non-negative integer, got "ten"/],
    ['a fractional since', { since: '1.5' }, /since/],
    ['a service given twice', { service: ['a', 'b'] }, /service must be given once/],
    ['a negative before', { before: '-3' }, /before must be a non-negative integer/],
  ];
  for (const [name, query, message] of bad) {
    it(`answers 400 for ${name}`, () => {
      assert.throws(() => pageQuery(query), (error: unknown) => error instanceof ParamError && error.status === 400 && message.test(error.message));
    });
  }
});

describe('where a stream starts', () => {
  const cases: Array<[string, Record<string, unknown>, string | undefined, number | null]> = [
    ['from now without since or Last-Event-ID', {}, undefined, null],
    ['after ?since=', { since: '12' }, undefined, 12],
    ['after Last-Event-ID', {}, '30', 30],
    ['Last-Event-ID wins over ?since= (a reconnecting browser resends the original URL)', { since: '12' }, '30', 30],
    ['a blank Last-Event-ID falls back to ?since=', { since: '4' }, ' ', 4],
  ];
  for (const [name, query, header, want] of cases) it(name, () => assert.equal(streamStart(query, header), want));

  it('answers 400 for a Last-Event-ID that is not an event id', () => {
    assert.throws(() => streamStart({}, 'abc'), ParamError);
  });
});

describe('API settings from the environment', () => {
  it('defaults to 64 event streams and loopback Hosts', () => {
    const env = readApiEnv({}, '127.0.0.1');
    assert.equal(env.maxStreams, 64);
    assert.deepEqual([...env.hosts.names], ['127.0.0.1']);
  });
  it('reads DSR_MAX_EVENT_STREAMS and DSR_ALLOWED_HOSTS', () => {
    const env = readApiEnv({ DSR_MAX_EVENT_STREAMS: '5', DSR_ALLOWED_HOSTS: 'dsr.lan' }, '0.0.0.0');
    assert.equal(env.maxStreams, 5);
    assert.deepEqual([...env.hosts.names], ['dsr.lan']);
  });
  for (const bad of ['0', '-1', 'many', '1.5']) {
    it(`stops at DSR_MAX_EVENT_STREAMS=${bad}, naming the variable`, () => {
      assert.throws(() => readApiEnv({ DSR_MAX_EVENT_STREAMS: bad }, '127.0.0.1'), /DSR_MAX_EVENT_STREAMS must be a positive integer/);
    });
  }
});

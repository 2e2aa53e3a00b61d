// The SSE wire format: what the server writes and what the CLI parses back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, formatSseComment, formatSseEvent, formatSseRetry, type SseMessage } from '../../src/api/sse.js';

describe('formatting SSE', () => {
  it('writes an event as id and data lines with the default event type', () => {
    assert.equal(formatSseEvent(7, '{"id":7}'), 'id: 7\ndata: {"id":7}\n\n');
  });
  it('refuses data with a line break, which would split the message', () => {
    assert.throws(() => formatSseEvent(1, 'a\nb'), /single line/);
  });
  it('writes comments and the retry field', () => {
    assert.equal(formatSseComment('keep-alive'), ': keep-alive\n\n');
    assert.equal(formatSseComment('a\nb'), ': a b\n\n');
    assert.equal(formatSseRetry(2000), 'retry: 2000\n\n');
  });
});

describe('parsing SSE', () => {
  const cases: Array<{ name: string; chunks: string[]; messages: SseMessage[]; lastId: string }> = [
    { name: 'one message in one chunk', chunks: ['id: 1\ndata: a\n\n'], messages: [{ id: '1', event: 'message', data: 'a' }], lastId: '1' },
    { name: 'a message split inside a field', chunks: ['id: 1\nda', 'ta: x\n', '\n'], messages: [{ id: '1', event: 'message', data: 'x' }], lastId: '1' },
    { name: 'CRLF line ends split between chunks', chunks: ['id: 2\r', '\ndata: y\r\n\r', '\n'], messages: [{ id: '2', event: 'message', data: 'y' }], lastId: '2' },
    { name: 'comments and retry are not messages', chunks: ['retry: 2000\n\n: keep-alive\n\n'], messages: [], lastId: '' },
    { name: 'multi-line data is joined with newlines', chunks: ['data: a\ndata: b\n\n'], messages: [{ id: '', event: 'message', data: 'a\nb' }], lastId: '' },
    { name: 'a named event keeps its type', chunks: ['event: ping\ndata: 1\n\n'], messages: [{ id: '', event: 'ping', data: '1' }], lastId: '' },
    { name: 'the id persists to later messages without one', chunks: ['id: 5\ndata: a\n\ndata: b\n\n'], messages: [{ id: '5', event: 'message', data: 'a' }, { id: '5', event: 'message', data: 'b' }], lastId: '5' },
    { name: 'an id without data updates the last id only', chunks: ['id: 9\n\n'], messages: [], lastId: '9' },
    { name: 'no space after the colon', chunks: ['data:x\n\n'], messages: [{ id: '', event: 'message', data: 'x' }], lastId: '' },
    { name: 'an unfinished message is held back', chunks: ['id: 3\ndata: z\n'], messages: [], lastId: '3' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parser = new SseParser();
      const got = c.chunks.flatMap((chunk) => parser.push(chunk));
      assert.deepEqual(got, c.messages);
      assert.equal(parser.lastEventId, c.lastId);
    });
  }

  it('reads back exactly what the server formats, byte by byte', () => {
    const wire = formatSseRetry(1000) + formatSseEvent(1, '{"a":1}') + formatSseComment('hb') + formatSseEvent(2, '{"b":"é"}');
    const parser = new SseParser();
    const got = [...wire].flatMap((ch) => parser.push(ch));
    assert.deepEqual(got.map((m) => [m.id, m.data]), [['1', '{"a":1}'], ['2', '{"b":"é"}']]);
  });
});

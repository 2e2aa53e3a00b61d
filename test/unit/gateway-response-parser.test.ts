import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResponseHead } from '../../src/gateway/response-head.js';
import { ResponseParser } from '../../src/gateway/response-parser.js';
import type { ResponseHead } from '../../src/gateway/response-parser.js';

interface Parsed {
  heads: ResponseHead[];
  body: string;
  complete: boolean;
  keepAlive: boolean;
  consumed: number;
}

/** Feeds `wire` to a parser in pieces of `step` bytes (all at once when 0); `eof` closes the connection after. */
function parse(wire: string, method = 'GET', step = 0, eof = false): Parsed {
  const out: Parsed = { heads: [], body: '', complete: false, keepAlive: false, consumed: 0 };
  const parser = new ResponseParser({
    onHead: (h) => out.heads.push(h),
    onBody: (c) => (out.body += c.toString('latin1')),
    onComplete: () => (out.complete = true),
  });
  parser.reset(method);
  const bytes = Buffer.from(wire, 'latin1');
  const size = step || bytes.length;
  for (let i = 0; i < bytes.length; i += size) out.consumed += parser.execute(bytes.subarray(i, i + size));
  if (eof) parser.finish();
  out.keepAlive = parser.keepAlive;
  return out;
}

const OK = 'HTTP/1.1 200 OK\r\n';

describe('response parser framing', () => {
  const cases: Array<[string, string, string, boolean, { body: string; complete: boolean; keepAlive: boolean }]> = [
    // name, wire, method, eof, expected
    ['reads a Content-Length body', `${OK}Content-Length: 5\r\n\r\nhello`, 'GET', false, { body: 'hello', complete: true, keepAlive: true }],
    ['decodes a chunked body with extensions and trailers', `${OK}Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n`, 'GET', false, { body: 'hello world', complete: true, keepAlive: true }],
    ['decodes upper-case hex chunk sizes', `${OK}Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n`, 'GET', false, { body: '0123456789', complete: true, keepAlive: true }],
    ['reads to the end of the connection without a length', `${OK}\r\nuntil close`, 'GET', true, { body: 'until close', complete: true, keepAlive: false }],
    ['is incomplete when such a body has not ended yet', `${OK}\r\nstill coming`, 'GET', false, { body: 'still coming', complete: false, keepAlive: false }],
    ['reads no body for HEAD whatever the headers say', `${OK}Content-Length: 5\r\n\r\n`, 'HEAD', false, { body: '', complete: true, keepAlive: true }],
    ['reads no body for 204', 'HTTP/1.1 204 No Content\r\n\r\n', 'GET', false, { body: '', complete: true, keepAlive: true }],
    ['reads no body for 304', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 'GET', false, { body: '', complete: true, keepAlive: true }],
    ['reads an empty Content-Length body', `${OK}Content-Length: 0\r\n\r\n`, 'GET', false, { body: '', complete: true, keepAlive: true }],
    ['skips 1xx heads before the real one', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' + `${OK}Content-Length: 2\r\n\r\nok`, 'POST', false, { body: 'ok', complete: true, keepAlive: true }],
    ['does not reuse after Connection: close', `${OK}Connection: close\r\nContent-Length: 2\r\n\r\nok`, 'GET', false, { body: 'ok', complete: true, keepAlive: false }],
    ['does not reuse an HTTP/1.0 connection', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', 'GET', false, { body: 'ok', complete: true, keepAlive: false }],
    ['lets Transfer-Encoding win over Content-Length, and never reuses', `${OK}Content-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'GET', false, { body: 'ok', complete: true, keepAlive: false }],
    ['reads a non-chunked Transfer-Encoding until close', `${OK}Transfer-Encoding: gzip\r\n\r\nzz`, 'GET', true, { body: 'zz', complete: true, keepAlive: false }],
    ['accepts an identical repeated Content-Length', `${OK}Content-Length: 2\r\nContent-Length: 2\r\n\r\nok`, 'GET', false, { body: 'ok', complete: true, keepAlive: true }],
  ];
  for (const [name, wire, method, eof, expected] of cases) {
    for (const step of [0, 1, 3]) {
      it(`${name}${step ? ` (fed ${step} byte${step > 1 ? 's' : ''} at a time)` : ''}`, () => {
        const { body, complete, keepAlive } = parse(wire, method, step, eof);
        assert.deepEqual({ body, complete, keepAlive }, expected);
      });
    }
  }

  it('stops at the end of the message and reports what it did not consume', () => {
    const wire = `${OK}Content-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n`;
    const out = parse(wire);
    assert.equal(out.body, 'ok');
    assert.equal(out.consumed, wire.length - 'HTTP/1.1 200 OK\r\n'.length);
  });

  const errors: Array<[string, string]> = [
    ['a garbage status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a status code with letters', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['a header line without a colon', `${OK}NoColon\r\n\r\n`],
    ['obs-fold continuation lines', `${OK}X-A: 1\r\n folded\r\n\r\n`],
    ['whitespace before a colon', `${OK}X-A : 1\r\n\r\n`],
    ['a non-numeric Content-Length', `${OK}Content-Length: 1x\r\n\r\n`],
    ['conflicting Content-Lengths', `${OK}Content-Length: 1\r\nContent-Length: 2\r\n\r\n`],
    ['a bad chunk size', `${OK}Transfer-Encoding: chunked\r\n\r\nzz\r\n`],
    ['chunk data longer than its size', `${OK}Transfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n`],
    ['an unexpected 101', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'],
    ['a head larger than 64 KB', `${OK}X-Big: ${'a'.repeat(70_000)}`],
  ];
  for (const [name, wire] of errors) {
    it(`rejects ${name}`, () => assert.throws(() => parse(wire), { name: 'ResponseParseError' }));
  }
});

describe('response head', () => {
  it('parses the status line and keeps end-to-end fields in order, case and repeats', () => {
    assert.deepEqual(parseResponseHead('HTTP/1.1 404 Not Found\r\nX-A: 1\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 3'), {
      statusCode: 404, statusMessage: 'Not Found', http11: true,
      headers: ['X-A', '1', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '3'],
      contentLength: '3', transferEncoding: null, close: false,
    });
  });

  it('drops a Content-Length sent beside Transfer-Encoding', () => {
    assert.deepEqual(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\nX-A: 1').headers, ['X-A', '1']);
  });

  it('accepts a status line without a reason phrase', () => {
    assert.equal(parseResponseHead('HTTP/1.1 200').statusMessage, '');
  });

  it('drops hop-by-hop fields and those Connection names, noting close', () => {
    const head = parseResponseHead('HTTP/1.1 200 OK\r\nX-Early: 1\r\nConnection: close, X-Early, X-Late\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nTE: x\r\nUpgrade: h2\r\nProxy-Authenticate: Basic\r\nProxy-Connection: x\r\nProxy-Authorization: y\r\nX-Late: 2\r\nX-Kept: 3');
    assert.deepEqual(head.headers, ['X-Kept', '3']);
    assert.equal(head.close, true);
    assert.equal(head.transferEncoding, 'chunked');
  });
});

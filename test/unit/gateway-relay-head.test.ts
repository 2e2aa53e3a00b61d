import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relayHead } from '../../src/gateway/relay-head.js';

/** undici's raw head form: [name, value, ...] as Buffers. */
function raw(...pairs: string[]): Buffer[] {
  return pairs.map((p) => Buffer.from(p, 'latin1'));
}

describe('relayed response heads', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['keeps end-to-end fields in order, case and repeats', ['X-A', '1', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '3'],
      ['X-A', '1', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '3']],
    ['drops hop-by-hop fields and those Connection names', ['X-Early', '1', 'Connection', 'close, X-Early, X-Late', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'TE', 'x', 'Upgrade', 'h2', 'Proxy-Authenticate', 'Basic', 'Proxy-Connection', 'x', 'Proxy-Authorization', 'y', 'X-Late', '2', 'X-Kept', '3'],
      ['X-Kept', '3']],
    ['keeps a non-chunked transfer coding, framed chunked for the client', ['Transfer-Encoding', 'gzip', 'X-A', '1'], ['X-A', '1', 'Transfer-Encoding', 'gzip, chunked']],
    ['keeps codings before chunked', ['Transfer-Encoding', 'gzip, chunked'], ['Transfer-Encoding', 'gzip, chunked']],
    ['joins codings of repeated Transfer-Encoding fields', ['Transfer-Encoding', 'gzip', 'transfer-encoding', 'br'], ['Transfer-Encoding', 'gzip, br, chunked']],
    ['drops a Content-Length beside a coding', ['Content-Length', '10', 'Transfer-Encoding', 'gzip'], ['Transfer-Encoding', 'gzip, chunked']],
    ['keeps obs-text (bytes 0x80-0xFF) in values', ['X-A', 'caf\u00e9'], ['X-A', 'caf\u00e9']],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(relayHead('OK', raw(...input)).headers, expected));

  const refused: Array<[string, string, string[]]> = [
    ['a NUL in the reason phrase', 'O\u0000K', []],
    ['a DEL in the reason phrase', 'OK\u007f', []],
    ['a control character in a value', 'OK', ['X-A', 'a\u0001b']],
    ['a bare LF in a value', 'OK', ['X-A', 'a\nb']],
  ];
  for (const [name, text, input] of refused) {
    it(`refuses ${name}`, () => assert.throws(() => relayHead(text, raw(...input)), { name: 'InvalidUpstreamHead' }));
  }

  it('keeps the reason phrase, empty included', () => {
    assert.equal(relayHead('Not Found', []).statusMessage, 'Not Found');
    assert.equal(relayHead('', []).statusMessage, '');
  });
});

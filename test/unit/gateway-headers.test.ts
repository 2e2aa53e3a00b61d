import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionNamed, upstreamRequestHead, withoutHopByHop } from '../../src/gateway/headers.js';
import type { ClientFacts } from '../../src/gateway/headers.js';

const client: ClientFacts = { remoteAddress: '10.0.0.9', encrypted: false, upgrade: false, newRequestId: () => 'generated-id' };

/** undici's flat header list as [name, value] pairs. */
function fields(flat: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

describe('upstream request headers', () => {
  const cases: Array<[string, string[], Partial<ClientFacts>, string[][]]> = [
    ['sets the forwarding headers on a bare request', ['Host', 'shop.example'], {},
      [['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Forwarded-Host', 'shop.example'], ['X-Request-Id', 'generated-id']]],
    ['appends to every X-Forwarded-For the client sent', ['X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2, 3.3.3.3'], {},
      [['X-Forwarded-For', '1.1.1.1, 2.2.2.2, 3.3.3.3, 10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['replaces the client\'s X-Forwarded-Proto and -Host', ['X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'evil', 'Host', 'real'], { encrypted: true },
      [['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'https'], ['X-Forwarded-Host', 'real'], ['X-Request-Id', 'generated-id']]],
    ['keeps a sane X-Request-Id', ['X-Request-Id', 'req-42:a.b/c+d='], {},
      [['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'req-42:a.b/c+d=']]],
    ['replaces an X-Request-Id with spaces or of 201 characters', ['X-Request-Id', 'a b', 'X-Request-Id', 'x'.repeat(201)], {},
      [['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['drops hop-by-hop fields and the ones Connection names', [
      'Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Keep-Alive', '5', 'TE', 'trailers', 'Proxy-Connection', 'x',
      'Proxy-Authorization', 'Basic x', 'Upgrade', 'h2c', 'Expect', '100-continue', 'Accept', '*/*'], {},
      [['Accept', '*/*'], ['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['keeps order, case and repeats of end-to-end fields', ['accept', 'a', 'X-Multi', '1', 'X-Multi', '2', 'Cookie', 'a=1'], {},
      [['accept', 'a'], ['X-Multi', '1'], ['X-Multi', '2'], ['Cookie', 'a=1'], ['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['leaves chunked framing to undici and drops a Content-Length beside it', ['Transfer-Encoding', 'gzip, chunked', 'Content-Length', '10'], {},
      [['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['keeps a Content-Length for undici to check the body against', ['Content-Length', '10'], {},
      [['Content-Length', '10'], ['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
    ['leaves Upgrade and Connection of an upgrade to undici', ['Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Key', 'k'], { upgrade: true },
      [['Sec-WebSocket-Key', 'k'], ['X-Forwarded-For', '10.0.0.9'], ['X-Forwarded-Proto', 'http'], ['X-Request-Id', 'generated-id']]],
  ];
  for (const [name, raw, facts, expected] of cases) {
    it(name, () => {
      const head = upstreamRequestHead(raw, { ...client, ...facts });
      assert.deepEqual(fields(head.headers), expected);
      assert.ok(!head.headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host'), 'undici writes Host from the instance');
    });
  }

  const facts: Array<[string, string[], { hasBody: boolean; chunked: boolean; pinnedVersion: string | null; cookie: string | null }]> = [
    ['no body without length or chunking', ['Host', 'a'], { hasBody: false, chunked: false, pinnedVersion: null, cookie: null }],
    ['no body with Content-Length 0', ['Content-Length', '0'], { hasBody: false, chunked: false, pinnedVersion: null, cookie: null }],
    ['a body with a Content-Length', ['Content-Length', '12'], { hasBody: true, chunked: false, pinnedVersion: null, cookie: null }],
    ['a chunked body', ['Transfer-Encoding', 'chunked'], { hasBody: true, chunked: true, pinnedVersion: null, cookie: null }],
    ['the pinned version and all cookies', ['X-DSR-Version', ' v2 ', 'Cookie', 'a=1', 'Cookie', 'dsr-web=v1'], { hasBody: false, chunked: false, pinnedVersion: 'v2', cookie: 'a=1; dsr-web=v1' }],
  ];
  for (const [name, raw, expected] of facts) {
    it(`reports ${name}`, () => {
      const { hasBody, chunked, pinnedVersion, cookie } = upstreamRequestHead(raw, client);
      assert.deepEqual({ hasBody, chunked, pinnedVersion, cookie }, expected);
    });
  }

  it('reports the Upgrade value of upgrades only', () => {
    assert.equal(upstreamRequestHead(['Upgrade', 'websocket'], client).upgrade, null);
    assert.equal(upstreamRequestHead(['Upgrade', 'websocket'], { ...client, upgrade: true }).upgrade, 'websocket');
  });
});

describe('hop-by-hop filtering', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['keeps end-to-end fields', ['Content-Type', 'text/plain', 'Set-Cookie', 'a', 'Set-Cookie', 'b'], ['Content-Type', 'text/plain', 'Set-Cookie', 'a', 'Set-Cookie', 'b']],
    ['drops every RFC 9110 hop-by-hop field in any case', ['CONNECTION', 'close', 'keep-alive', '1', 'Proxy-Connection', '1', 'te', '1', 'Transfer-Encoding', 'chunked', 'Upgrade', 'x', 'Proxy-Authenticate', 'x', 'Proxy-Authorization', 'x'], []],
    ['drops what Connection names, wherever it appears', ['X-A', '1', 'Connection', 'x-a, X-B', 'x-b', '2', 'X-C', '3'], ['X-C', '3']],
  ];
  for (const [name, raw, expected] of cases) it(name, () => assert.deepEqual(withoutHopByHop(raw), expected));

  it('lists the fields Connection names, without its own options', () => {
    assert.deepEqual([...(connectionNamed(['Connection', 'close, X-A', 'connection', 'Upgrade, x-b, keep-alive']) ?? [])], ['x-a', 'x-b']);
    assert.equal(connectionNamed(['Connection', 'keep-alive']), null);
  });
});

// The gateway connects only to addresses in its route table, whatever the request says, and
// malformed input gets a 4xx without taking the process down.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { routes, send, sendRaw, startGateway, startUpstream } from './gateway-fixtures.js';
import type { TestGateway, Upstream } from './gateway-fixtures.js';

function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
}

describe('gateway safety', () => {
  let forbidden: Server;
  let forbiddenPort = 0;
  let forbiddenConnections = 0;
  let legit: Upstream;
  let gw: TestGateway;

  before(async () => {
    forbidden = net.createServer((s) => {
      forbiddenConnections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => forbidden.listen(0, '127.0.0.1', resolve));
    forbiddenPort = (forbidden.address() as AddressInfo).port;
    legit = await startUpstream('legit');
    gw = await startGateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [legit.port]]] } }));
  });
  after(async () => {
    await gw.close();
    await legit.close();
    await new Promise<void>((resolve) => forbidden.close(() => resolve()));
  });

  const F = (): string => `127.0.0.1:${forbiddenPort}`;
  const attempts: Array<[string, () => string, number, (() => string) | null]> = [
    ['absolute-form target outside the prefix', () => `GET http://${F()}/ HTTP/1.1\r\nHost: ${F()}\r\n\r\n`, 418, null],
    ['absolute-form target aimed at the gateway', () => `GET http://${F()}/gateway/web/ HTTP/1.1\r\nHost: ${F()}\r\n\r\n`, 400, null],
    ['Host header naming another server', () => `GET /gateway/web/x HTTP/1.1\r\nHost: ${F()}\r\n\r\n`, 200, () => '/x'],
    ['X-Forwarded-Host naming another server', () => `GET /gateway/web/x HTTP/1.1\r\nHost: a\r\nX-Forwarded-Host: ${F()}\r\n\r\n`, 200, () => '/x'],
    ['dot segments', () => 'GET /gateway/web/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n', 400, null],
    ['percent-encoded dot segments', () => 'GET /gateway/web/%2e%2E/x HTTP/1.1\r\nHost: a\r\n\r\n', 400, null],
    ['dot segment split by an encoded slash', () => 'GET /gateway/web/a%2f..%2fb HTTP/1.1\r\nHost: a\r\n\r\n', 400, null],
    ['backslashes', () => 'GET /gateway/web/..\\..\\x HTTP/1.1\r\nHost: a\r\n\r\n', 400, null],
    ['encoded backslash', () => 'GET /gateway/web/a%5c..%5cb HTTP/1.1\r\nHost: a\r\n\r\n', 400, null],
    ['a host where the service belongs', () => `GET /gateway//${F()}/ HTTP/1.1\r\nHost: a\r\n\r\n`, 404, null],
    ['an encoded slash in the service name', () => 'GET /gateway/web%2f..%2fadmin/ HTTP/1.1\r\nHost: a\r\n\r\n', 404, null],
    ['a dot-dot service name', () => 'GET /gateway/../web/ HTTP/1.1\r\nHost: a\r\n\r\n', 404, null],
    ['a host-like path after the service', () => `GET /gateway/web//${F()}/x HTTP/1.1\r\nHost: a\r\n\r\n`, 200, () => `//${F()}/x`],
    ['an encoded host-like path', () => `GET /gateway/web/%2f%2f${F()}/ HTTP/1.1\r\nHost: a\r\n\r\n`, 200, () => `/%2f%2f${F()}/`],
    ['a URL in the query', () => `GET /gateway/web/?url=http://${F()}/&host=${F()} HTTP/1.1\r\nHost: a\r\n\r\n`, 200, () => `/?url=http://${F()}/&host=${F()}`],
    ['CONNECT to another server', () => `CONNECT ${F()} HTTP/1.1\r\nHost: ${F()}\r\n\r\n`, 405, null],
  ];
  for (const [name, request, status, upstreamPath] of attempts) {
    it(`never connects elsewhere: ${name}`, async () => {
      const before = legit.paths.length;
      const raw = await sendRaw(gw.port, request().replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
      assert.equal(statusOf(raw), status, raw.slice(0, 300));
      assert.deepEqual(legit.paths.slice(before), upstreamPath === null ? [] : [upstreamPath()]);
      assert.equal(forbiddenConnections, 0);
    });
  }

  const malformed: Array<[string, string | Buffer, number]> = [
    ['garbage instead of a request line', 'hello there\r\n\r\n', 400],
    ['a header line without a colon', 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n', 400],
    ['Content-Length together with Transfer-Encoding', 'POST /gateway/web/ HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a non-numeric Content-Length', 'POST /gateway/web/ HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n', 400],
    ['a NUL byte in a header value', Buffer.from('GET /gateway/web/ HTTP/1.1\r\nHost: a\r\nX-A: a\u0000b\r\n\r\n', 'latin1'), 400],
    ['an unknown HTTP version', 'GET /gateway/web/ HTTP/9.9\r\nHost: a\r\n\r\n', 400],
    ['headers larger than the limit', `GET /gateway/web/ HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, 431],
    ['a space in the request target', 'GET /gateway/web/a b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
  ];
  for (const [name, bytes, status] of malformed) {
    it(`answers ${status} and keeps serving: ${name}`, async () => {
      const raw = await sendRaw(gw.port, bytes);
      assert.equal(statusOf(raw), status, raw.slice(0, 300));
      assert.equal((await send(gw.port, '/gateway/web/')).status, 200);
    });
  }

  it('survives a malformed chunked body after the request was routed', async () => {
    await sendRaw(gw.port, 'POST /gateway/web/ HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n\r\n');
    assert.equal((await send(gw.port, '/gateway/web/')).status, 200);
  });

  it('survives a client that disconnects mid-upload', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(gw.port, '127.0.0.1', () => {
        s.write('PUT /gateway/web/ HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n' + 'x'.repeat(1000));
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 50);
      });
    });
    assert.equal((await send(gw.port, '/gateway/web/')).status, 200);
    assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
  });

  it('made no connection to the forbidden server at all', () => {
    assert.equal(forbiddenConnections, 0);
  });
});

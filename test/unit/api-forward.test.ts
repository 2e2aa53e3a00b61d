// A gateway worker's relay to the controller's API (src/plane/api-forward.ts) against hostile
// clients: the client's address the API counts token failures by is the socket's, whatever the
// client claims in X-DSR-Client-Address; hop-by-hop headers stop at the worker. Raw `net` clients
// on 127.0.0.1 and a stand-in API on a unix socket in a temporary folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENT_ADDRESS_HEADER, forwardToApi } from '../../src/plane/api-forward.js';

/** Sends one raw request and returns the body of the answer (Connection: close). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((done, failed) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.setTimeout(5000, () => failed(new Error(`no answer: ${out}`)));
    socket.on('data', (d) => (out += d));
    socket.on('end', () => done(out.slice(out.indexOf('\r\n\r\n') + 4)));
    socket.on('error', failed);
    socket.write(request);
  });
}

describe('forwardToApi with hostile clients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-forward-'));
  const socketPath = join(dir, 'api.sock');
  // The stand-in API answers with the headers it received.
  const api = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
  const worker = http.createServer(forwardToApi(socketPath));
  let port = 0;
  before(async () => {
    await new Promise<void>((r) => api.listen(socketPath, r));
    await new Promise<void>((r) => worker.listen(0, '127.0.0.1', r));
    port = (worker.address() as AddressInfo).port;
  });
  after(async () => {
    worker.closeAllConnections();
    await new Promise<void>((r) => worker.close(() => r()));
    await new Promise<void>((r) => api.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<{ name: string; headers: string }> = [
    { name: 'a forged client address', headers: `${CLIENT_ADDRESS_HEADER}: 10.0.0.7\r\n` },
    { name: 'a forged client address twice, in other case', headers: 'X-DSR-Client-Address: 10.0.0.7\r\nx-dsr-CLIENT-address: 10.0.0.8\r\n' },
    { name: 'no claim at all', headers: '' },
  ];
  for (const c of cases) {
    it(`the API sees the socket's address with ${c.name}`, async () => {
      const body = await raw(port, `GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\n${c.headers}Connection: close\r\n\r\n`);
      const seen = JSON.parse(body) as Record<string, string>;
      assert.equal(seen[CLIENT_ADDRESS_HEADER], '127.0.0.1');
    });
  }

  it('passes no hop-by-hop header on (keep-alive, proxy-connection, upgrade)', async () => {
    const body = await raw(port, 'GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\nKeep-Alive: timeout=999\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c\r\nConnection: close\r\n\r\n');
    const seen = JSON.parse(body) as Record<string, string>;
    assert.equal(seen['keep-alive'], undefined);
    assert.equal(seen['proxy-connection'], undefined);
    assert.equal(seen['upgrade'], undefined);
    assert.equal(seen['host'], '127.0.0.1', 'the Host header reaches the API for its DNS-rebinding check');
  });
});

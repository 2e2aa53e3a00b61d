// WebSocket upgrades pass through the gateway to the chosen instance and back.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { routes, startGateway } from './gateway-fixtures.js';
import type { TestGateway } from './gateway-fixtures.js';

interface WsUpstream {
  port: number;
  seen: Array<{ url: string; forwardedFor: string | undefined }>;
  close(): Promise<void>;
}

async function startWsUpstream(name: string): Promise<WsUpstream> {
  const server = http.createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ noServer: true });
  const seen: WsUpstream['seen'] = [];
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/forbidden')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      seen.push({ url: req.url ?? '', forwardedFor: req.headers['x-forwarded-for'] as string | undefined });
      ws.on('message', (data, binary) => ws.send(binary ? data : `${name}: ${String(data)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<Buffer | string> {
  return new Promise((resolve) => ws.once('message', (data, binary) => resolve(binary ? (data as Buffer) : String(data))));
}

describe('gateway websockets', () => {
  let up: WsUpstream;
  let gw: TestGateway;
  let deadPort: number;

  before(async () => {
    up = await startWsUpstream('echo');
    const s = net.createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    deadPort = (s.address() as AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    gw = await startGateway();
    gw.gateway.setRoutes(routes({
      chat: { versions: [['v1', 100, [up.port]]] },
      flaky: { versions: [['v1', 100, [deadPort, up.port]]] },
      odd: { versions: [['v1', 100, [70_000, up.port]]] },
    }));
  });
  after(async () => {
    await gw.close();
    await up.close();
  });

  it('passes an upgrade through, path and query kept, X-Forwarded-For set', async () => {
    const ws = await open(`ws://127.0.0.1:${gw.port}/gateway/chat/room/1?user=a`);
    ws.send('hi');
    assert.equal(await nextMessage(ws), 'echo: hi');
    assert.deepEqual(up.seen.at(-1), { url: '/room/1?user=a', forwardedFor: '127.0.0.1' });
    ws.close();
  });

  it('relays a 1 MB binary message both ways', async () => {
    const ws = await open(`ws://127.0.0.1:${gw.port}/gateway/chat/`);
    const payload = Buffer.alloc(1024 * 1024, 7);
    ws.send(payload);
    const echoed = await nextMessage(ws);
    assert.ok(Buffer.isBuffer(echoed) && echoed.equals(payload));
    ws.close();
  });

  it('counts an open tunnel in flight until it closes', async () => {
    const ws = await open(`ws://127.0.0.1:${gw.port}/gateway/chat/`);
    assert.equal(gw.gateway.inFlight('chat', 'v1'), 1);
    ws.close();
    await new Promise((r) => ws.once('close', r));
    for (let i = 0; i < 50 && gw.gateway.inFlight('chat', 'v1') > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(gw.gateway.inFlight('chat', 'v1'), 0);
  });

  it('retries the handshake on another instance when one refuses', async () => {
    const ws = await open(`ws://127.0.0.1:${gw.port}/gateway/flaky/`);
    ws.send('again');
    assert.equal(await nextMessage(ws), 'echo: again');
    ws.close();
    assert.equal(gw.gateway.isEjected('flaky-v1-0'), true);
  });

  it('treats an unusable address in the table as a failed connect', async () => {
    const ws = await open(`ws://127.0.0.1:${gw.port}/gateway/odd/`);
    ws.close();
    assert.equal(gw.gateway.isEjected('odd-v1-0'), true);
  });

  it('relays a refused handshake as the instance answered it', async () => {
    await assert.rejects(open(`ws://127.0.0.1:${gw.port}/gateway/chat/forbidden`), /HTTP 403/);
  });

  it('answers 404 to an upgrade for an unknown service', async () => {
    await assert.rejects(open(`ws://127.0.0.1:${gw.port}/gateway/nope/`), /HTTP 404/);
  });
});

// Passive health and retries: what clients see when instances refuse, drop, stall or die.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { routes, send, servedBy, startGateway, startUpstream } from './gateway-fixtures.js';
import type { TestGateway, Upstream } from './gateway-fixtures.js';

/** A port nothing listens on (bound once, then released). */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('gateway failures', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  const upstream = async (name: string, handler?: http.RequestListener): Promise<Upstream> => {
    const up = await startUpstream(name, handler);
    cleanups.push(() => up.close());
    return up;
  };
  const gateway = async (options = {}): Promise<TestGateway> => {
    const gw = await startGateway(options);
    cleanups.push(() => gw.close());
    return gw;
  };
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('retries a GET on another instance when one refuses connections, and ejects it once', async () => {
    const live = await upstream('live');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [await deadPort(), live.port]]] } }));
    for (let i = 0; i < 10; i++) {
      const reply = await send(gw.port, '/gateway/web/');
      assert.equal(reply.status, 200);
      assert.equal(servedBy(reply), 'live');
    }
    await new Promise((r) => setImmediate(r)); // onEject is delivered asynchronously
    assert.deepEqual(gw.ejected.map((e) => [e.id, e.service, e.version]), [['web-v1-0', 'web', 'v1']]);
    assert.match(gw.ejected[0]!.reason, /ECONNREFUSED/);
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
    const now = Date.now();
    const w = gw.gateway.metrics.window('web', 'v1', now - 60_000, now + 1000);
    assert.equal(w.requests, 11);
    assert.equal(w.upstreamFailures, 1);
    assert.equal(w.errors, 1);
  });

  it('keeps an ejected instance out until readmit()', async () => {
    const port = await deadPort();
    const live = await upstream('live');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [port, live.port]]] } }));
    await send(gw.port, '/gateway/web/');
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
    const back = await upstream('back');
    await new Promise<void>((resolve) => back.server.close(() => resolve()));
    await new Promise<void>((resolve) => back.server.listen(port, '127.0.0.1', resolve));
    for (let i = 0; i < 6; i++) assert.equal(servedBy(await send(gw.port, '/gateway/web/')), 'live');
    gw.gateway.readmit('web-v1-0');
    const served = [servedBy(await send(gw.port, '/gateway/web/')), servedBy(await send(gw.port, '/gateway/web/'))];
    assert.deepEqual(served.sort(), ['back', 'live']);
  });

  it('forgets an ejection when the instance leaves the table', async () => {
    const port = await deadPort();
    const live = await upstream('live');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [port, live.port]]] } }));
    await send(gw.port, '/gateway/web/');
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, []]] } }));
    assert.equal(gw.gateway.isEjected('web-v1-0'), false);
  });

  it('moves traffic to the other version while a version has no instance left', async () => {
    const live = await upstream('v2');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 90, [await deadPort()]], ['v2', 10, [live.port]]] } }));
    for (let i = 0; i < 10; i++) assert.equal(servedBy(await send(gw.port, '/gateway/web/')), 'v2');
  });

  it('retries a POST whose connection was refused: nothing had been delivered', async () => {
    const live = await upstream('live', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`got ${Buffer.concat(chunks).toString()}`));
    });
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [await deadPort(), live.port]]] } }));
    const reply = await send(gw.port, '/gateway/web/orders', { method: 'POST', body: 'order=1', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'got order=1');
  });

  it('answers 502 and does not retry a POST the instance dropped after receiving it', async () => {
    const dropper = await upstream('dropper', (req) => req.socket.destroy());
    const other = await upstream('other');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [dropper.port, other.port]]] } }));
    const reply = await send(gw.port, '/gateway/web/pay', { method: 'POST', body: 'x' });
    assert.equal(reply.status, 502);
    assert.equal(JSON.parse(reply.body).error, 'upstream failed');
    assert.deepEqual(other.paths, [], 'the payment went to one instance only');
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
  });

  it('retries a GET the instance dropped on a fresh connection, and ejects it', async () => {
    const dropper = await upstream('dropper', (req) => req.socket.destroy());
    const other = await upstream('other');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [dropper.port, other.port]]] } }));
    const reply = await send(gw.port, '/gateway/web/');
    assert.equal(reply.status, 200);
    assert.equal(servedBy(reply), 'other');
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
  });

  it('retries a GET whose reused keep-alive connection was reset, without ejecting', async () => {
    const served = new WeakMap<Socket, number>();
    const flaky = await upstream('flaky', (req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1) req.socket.destroy(); // as a restarted instance does to pooled connections
      else res.end(JSON.stringify({ name: 'flaky' }));
    });
    const other = await upstream('other');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [flaky.port, other.port]]] } }));
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await send(gw.port, '/gateway/web/');
      assert.equal(reply.status, 200);
      names.push(servedBy(reply));
    }
    // Third request: flaky's pooled connection is reset -> retried on other. Fourth: flaky, not
    // ejected, takes its turn again on a fresh connection.
    assert.deepEqual(names, ['flaky', 'other', 'other', 'flaky']);
    assert.deepEqual(gw.ejected, []);
    assert.equal(gw.gateway.isEjected('web-v1-0'), false);
  });

  it('answers 504 when the instance does not answer in time, and keeps it in rotation', async () => {
    const stuck = await upstream('stuck', () => undefined);
    const gw = await gateway({ upstreamTimeoutMs: 300 });
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [stuck.port]]] } }));
    const started = Date.now();
    const reply = await send(gw.port, '/gateway/web/');
    assert.equal(reply.status, 504);
    assert.equal(JSON.parse(reply.body).error, 'upstream timed out');
    assert.ok(Date.now() - started < 2000);
    assert.equal(gw.gateway.isEjected('web-v1-0'), false);
    assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
  });

  it('ejects an instance whose connect times out and retries elsewhere', async () => {
    const hung = await hungListener();
    cleanups.push(() => hung.close());
    const live = await upstream('live');
    const gw = await gateway({ connectTimeoutMs: 300, upstreamTimeoutMs: 2000 });
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [hung.port, live.port]]] } }));
    const reply = await send(gw.port, '/gateway/web/');
    assert.equal(reply.status, 200);
    assert.equal(servedBy(reply), 'live');
    await new Promise((r) => setImmediate(r));
    assert.match(gw.ejected[0]?.reason ?? '', /connect timeout/);
  });

  it('cuts the client response when the instance dies mid-body, counting an upstream failure', async () => {
    const cutter = await upstream('cutter', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('x'.repeat(10));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [cutter.port]]] } }));
    await assert.rejects(send(gw.port, '/gateway/web/'));
    const now = Date.now();
    assert.equal(gw.gateway.metrics.window('web', 'v1', now - 60_000, now + 1000).upstreamFailures, 1);
    assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
  });

  it('treats an unusable address in the table as a failed connect', async () => {
    const live = await upstream('live');
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [70_000, live.port]]] } }));
    const reply = await send(gw.port, '/gateway/web/');
    assert.equal(servedBy(reply), 'live');
    assert.equal(gw.gateway.isEjected('web-v1-0'), true);
  });

  it('answers 502 when every instance refuses, then 503 while all are ejected', async () => {
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [await deadPort(), await deadPort()]]] } }));
    const first = await send(gw.port, '/gateway/web/');
    assert.equal(first.status, 502);
    assert.match(JSON.parse(first.body).detail, /ECONNREFUSED/);
    const second = await send(gw.port, '/gateway/web/');
    assert.equal(second.status, 503);
    assert.deepEqual(JSON.parse(second.body), { error: 'no healthy instance', service: 'web', requestId: JSON.parse(second.body).requestId });
  });

  it('counts a running request as in flight until it completes', async () => {
    let release: () => void = () => undefined;
    const slow = await upstream('slow', (_req, res) => {
      release = () => res.end('done');
    });
    const gw = await gateway();
    gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [slow.port]]] } }));
    const pending = send(gw.port, '/gateway/web/');
    while (slow.paths.length === 0) await new Promise((r) => setTimeout(r, 5)); // the instance holds it
    assert.equal(gw.gateway.inFlight('web', 'v1'), 1);
    assert.equal(gw.gateway.inFlightInstance('web-v1-0'), 1);
    release();
    assert.equal((await pending).body, 'done');
    assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
  });
});

// A listener in a stopped process: the kernel completes handshakes until its backlog is full and
// then drops SYNs, so further connects hang: a connect timeout, on 127.0.0.1.
async function hungListener(): Promise<{ port: number; close(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['-e', `require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}

// Hostile clients and hostile instances (raw TCP on 127.0.0.1) against the gateway: request
// smuggling onto pooled connections, stray responses, malformed answers, slow and stalled peers.
// Each case reproduces a finding of the security review (issue 11) and fails on the
// hand-written upstream client it replaced.
import assert from 'node:assert/strict';
import http, { STATUS_CODES } from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { routes, send, startGateway } from './gateway-fixtures.js';
import type { TestGateway } from './gateway-fixtures.js';
import { completeResponse, eventually, rawRequest, response, startRawUpstream } from './gateway-hostile-fixtures.js';
import type { Answer, RawUpstream } from './gateway-hostile-fixtures.js';

const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) ([^\r\n]*)\r\n/;

describe('gateway against hostile peers', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  const upstream = async (answer: Answer): Promise<RawUpstream> => {
    const up = await startRawUpstream(answer);
    cleanups.push(() => up.close());
    return up;
  };
  const gateway = async (...args: Parameters<typeof startGateway>): Promise<TestGateway> => {
    const gw = await startGateway(...args);
    cleanups.push(() => gw.close());
    return gw;
  };
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  // Answers each request head with its own request line: a naive server that never reads bodies.
  const echoLine: Answer = (socket, request) => socket.write(response(request.line));

  describe('smuggling onto pooled connections (item 1)', () => {
    for (const method of ['GET', 'HEAD']) {
      it(`refuses a ${method} with a body that holds another request, and the next client gets its own answer`, async () => {
        const up = await upstream(echoLine);
        const gw = await gateway();
        gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
        const smuggled = 'GET /me?user=evil HTTP/1.1\r\nX-Ignore: ';
        const attacker = await rawRequest(gw.port, `${method} /gateway/web/a HTTP/1.1\r\nHost: a\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`, 2000, completeResponse);
        assert.equal(STATUS_LINE.exec(attacker.text)?.[1], '400', attacker.text.slice(0, 200));
        const victim = await send(gw.port, '/gateway/web/me?user=victim');
        assert.equal(victim.body, 'GET /me?user=victim HTTP/1.1');
        assert.deepEqual(up.requests.filter((r) => r.line.includes('evil')), [], 'the smuggled request never reached the instance');
      });
    }

    it('sends a body on a DELETE over a connection closed after it, so what it smuggles answers nobody', async () => {
      const up = await upstream(echoLine);
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const smuggled = 'GET /me?user=evil HTTP/1.1\r\nX-Ignore: ';
      const attacker = await rawRequest(gw.port, `DELETE /gateway/web/a HTTP/1.1\r\nHost: a\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`, 2000, completeResponse);
      assert.match(attacker.text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*DELETE \/a HTTP\/1\.1$/);
      const victims = await Promise.all([1, 2, 3].map((i) => send(gw.port, `/gateway/web/me?user=victim${i}`)));
      assert.deepEqual(victims.map((v) => v.body), [1, 2, 3].map((i) => `GET /me?user=victim${i} HTTP/1.1`));
      const attackerConnection = up.requests.find((r) => r.line.startsWith('DELETE'))!.connection;
      assert.ok(up.requests.filter((r) => r.connection === attackerConnection).every((r) => !r.line.includes('victim')), 'no victim request shared the attacker\'s connection');
    });

    it('never reuses a connection that received bytes past the end of a response', async () => {
      const up = await startRawUpstream((socket, request) => socket.write(`${response(request.line)}HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray`));
      cleanups.push(() => up.close());
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const agent = new http.Agent({ keepAlive: true });
      const bodies: string[] = [];
      for (let i = 0; i < 5; i++) bodies.push((await send(gw.port, `/gateway/web/${i}`, { agent })).body);
      agent.destroy();
      assert.deepEqual(bodies, [0, 1, 2, 3, 4].map((i) => `GET /${i} HTTP/1.1`));
      assert.equal(up.connections, 5, 'each poisoned connection was dropped');
    });

    it('with spec.gateway.upstreamKeepAlive off, an instance writing a late stray response reaches nobody', async () => {
      // A buggy instance: a correct answer, then 30 ms later an extra response on the same
      // connection. On a kept-alive connection the next request would get the stray as its
      // answer (inherent to HTTP/1.1 keep-alive, nginx included); one request per connection
      // leaves the stray nowhere to go.
      const up = await upstream((socket, request) => {
        socket.write(response(request.line));
        setTimeout(() => socket.writable && socket.write(response('stray from an earlier request')), 30);
      });
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ web: { upstreamKeepAlive: false, versions: [['v1', 100, [up.port]]] } }));
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      const replies = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i % 10) * 7));
        return (await send(gw.port, `/gateway/web/u${i}`, { agent })).body;
      }));
      agent.destroy();
      assert.deepEqual(replies, Array.from({ length: 40 }, (_, i) => `GET /u${i} HTTP/1.1`));
      assert.equal(up.connections, 40, 'one connection per request');
      assert.ok(up.requests.every((r) => /\r\nconnection: close/i.test(r.head)), 'the instance is told each connection closes');
    });
  });

  describe('WebSocket handshakes (item 2)', () => {
    const handshake = (path: string, extra = ''): string =>
      `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

    it('refuses an upgrade carrying a body, so the next handshake cannot be read as that body', async () => {
      const up = await upstream((socket) => socket.write(response('no', '403 Forbidden')));
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ chat: { versions: [['v1', 100, [up.port]]] } }));
      const smuggled = 'GET /admin HTTP/1.1\r\nX-Ignore: ';
      const attacker = await rawRequest(gw.port, handshake('/gateway/chat/', `Content-Length: ${smuggled.length}\r\n`) + smuggled, 2000, completeResponse);
      assert.equal(STATUS_LINE.exec(attacker.text)?.[1], '400', attacker.text.slice(0, 200));
      const victim = await rawRequest(gw.port, handshake('/gateway/chat/', 'Cookie: session=victim\r\n'), 2000, completeResponse);
      assert.equal(STATUS_LINE.exec(victim.text)?.[1], '403', victim.text.slice(0, 200));
      assert.deepEqual(up.requests.map((r) => r.line), ['GET / HTTP/1.1'], 'only the victim\'s handshake reached the instance');
    });

    it('does not count open tunnels against the connection limit of plain requests', async () => {
      // A tunnel has its own socket, handed over by the pool: 384 open WebSockets (the default
      // 128 connections + 256 queued) must not answer every plain request to the instance 503.
      const up = await upstream((socket, request) => socket.write(/\r\nupgrade: websocket/i.test(request.head)
        ? 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'
        : response(request.line)));
      const gw = await gateway({ connectionsPerInstance: 2, queuePerInstance: 2 });
      gw.gateway.setRoutes(routes({ chat: { versions: [['v1', 100, [up.port]]] } }));
      const tunnels = await Promise.all(Array.from({ length: 6 }, () => new Promise<Socket>((resolve) => {
        const s = net.connect(gw.port, '127.0.0.1');
        s.on('error', () => undefined);
        s.once('data', () => resolve(s));
        s.write(handshake('/gateway/chat/ws'));
      })));
      cleanups.push(() => tunnels.forEach((s) => s.destroy()));
      assert.equal(gw.gateway.inFlight('chat', 'v1'), 6, 'open tunnels still count as in flight (removal waits for them)');
      const plain = await rawRequest(gw.port, 'GET /gateway/chat/plain HTTP/1.1\r\nHost: a\r\n\r\n', 2000, completeResponse);
      assert.equal(STATUS_LINE.exec(plain.text)?.[1], '200', plain.text.slice(0, 200));
    });

    it('cuts a client that leaves a refused handshake\'s answer unread, releasing the upstream connection', async () => {
      const up = await upstream((socket) => {
        socket.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 8000000\r\n\r\n');
        const chunk = Buffer.alloc(1 << 20, 97);
        let sent = 0;
        const more = (): void => {
          while (sent < 8 && socket.writable) {
            sent++;
            if (!socket.write(chunk)) return void socket.once('drain', more);
          }
        };
        more();
      });
      const gw = await gateway({ clientBodyIdleTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ chat: { versions: [['v1', 100, [up.port]]] } }));
      const client = net.connect(gw.port, '127.0.0.1');
      client.on('error', () => undefined);
      client.pause(); // never reads
      cleanups.push(() => void client.destroy());
      client.write(handshake('/gateway/chat/'));
      await eventually(() => up.requests.length === 1, 2000, 'the handshake reached the instance');
      await eventually(() => gw.gateway.inFlight('chat', 'v1') === 0, 5000, 'the stalled answer was given up');
      await eventually(() => up.open === 0, 5000, `the upstream connection closed (open: ${up.open})`);
    });

    it('never pools a handshake connection after a non-101 answer', async () => {
      const up = await upstream((socket) => socket.write(response('no', '403 Forbidden')));
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ chat: { versions: [['v1', 100, [up.port]]] } }));
      for (let i = 0; i < 3; i++) {
        const reply = await rawRequest(gw.port, handshake(`/gateway/chat/${i}`), 2000, completeResponse);
        assert.equal(STATUS_LINE.exec(reply.text)?.[1], '403');
      }
      assert.equal(up.connections, 3);
      await eventually(() => up.open === 0, 2000, 'every handshake connection closed');
    });
  });

  describe('malformed answers (items 3 and 8)', () => {
    const answers: Array<[string, string | Buffer, number]> = [
      ['a DEL after the reason phrase', 'HTTP/1.1 200 OK\x7f\r\nContent-Length: 2\r\n\r\nok', 502],
      ['a NUL in the reason phrase', 'HTTP/1.1 200 O\x00K\r\nContent-Length: 2\r\n\r\nok', 502],
      ['a bare LF after the status line', 'HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok', 502],
      ['a control character in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 2\r\n\r\nok', 502],
      ['a DEL in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\x7fb\r\nContent-Length: 2\r\n\r\nok', 502],
      ['conflicting Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok', 502],
      ['garbage instead of a status line', 'SSH-2.0-OpenSSH_9.6\r\n\r\n', 502],
    ];
    for (const [name, wire, status] of answers) {
      it(`answers ${status} at once with a correct status line: ${name}`, async () => {
        const up = await upstream((socket) => socket.write(Buffer.from(wire as string, 'latin1')));
        const gw = await gateway();
        gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
        const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 3000, completeResponse);
        const line = STATUS_LINE.exec(reply.text);
        assert.ok(line, `a status line within 3 s, got ${JSON.stringify(reply.text.slice(0, 100))}`);
        assert.equal(Number(line[1]), status);
        assert.equal(line[2], STATUS_CODES[status], 'the reason phrase belongs to the status');
        assert.ok(reply.ms < 2000, `answered after ${reply.ms} ms`);
        assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
      });
    }

    // RFC 9110 §8.6: a 304 may carry the Content-Length of the representation it stands for, and
    // neither 204 nor 304 has a body whatever the length says; undici calls that a length mismatch.
    for (const status of ['304 Not Modified', '204 No Content']) {
      it(`relays a ${status} that carries a Content-Length and no body`, async () => {
        const up = await upstream((socket) => socket.write(`HTTP/1.1 ${status}\r\nContent-Length: 1234\r\nETag: "v1"\r\n\r\n`));
        const gw = await gateway();
        gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
        const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 3000, (text) => text.includes('\r\n\r\n'));
        assert.equal(STATUS_LINE.exec(reply.text)?.[1], status.slice(0, 3), JSON.stringify(reply.text.slice(0, 200)));
        assert.match(reply.text, /\r\nETag: "v1"\r\n/);
        await eventually(() => gw.gateway.inFlight('web', 'v1') === 0, 2000, 'the exchange settled');
      });
    }

    it('relays a non-chunked Transfer-Encoding: gzip body with its coding', async () => {
      const text = 'compressed '.repeat(200);
      const up = await upstream((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Type: text/plain\r\n\r\n');
        socket.end(gzipSync(text)); // delimited by close (RFC 9112 §6.3)
      });
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const reply = await new Promise<{ te: string | undefined; body: Buffer }>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: gw.port, path: '/gateway/web/', agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ te: res.headers['transfer-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
      assert.equal(reply.te, 'gzip, chunked');
      assert.equal(gunzipSync(reply.body).toString(), text);
    });

    it('enforces the 64 KB response head limit across reads', async () => {
      const up = await upstream((socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        let sent = 0;
        const timer = setInterval(() => {
          if (!socket.writable || sent > 200) return clearInterval(timer);
          socket.write(`X-Filler-${sent++}: ${'a'.repeat(1000)}\r\n`);
        }, 2);
      });
      const gw = await gateway();
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 5000, completeResponse);
      assert.equal(STATUS_LINE.exec(reply.text)?.[1], '502', reply.text.slice(0, 200));
      assert.equal(STATUS_LINE.exec(reply.text)?.[2], 'Bad Gateway');
    });
  });

  describe('timeouts and limits (item 4)', () => {
    it('cuts 500 slow uploads after the body idle timeout, releasing every upstream connection', async (t) => {
      const up = await upstream(() => undefined); // reads heads, never answers: bodies are never complete anyway
      // A connection undici opened for a request that gave up while queued is idle, not held:
      // the short keep-alive timeout closes it too.
      const gw = await gateway({ clientBodyIdleTimeoutMs: 500, upstreamKeepAliveTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const clients: Socket[] = [];
      const answers: string[] = [];
      let closed = 0;
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, up.open)), 10);
      cleanups.push(() => clearInterval(sampler));
      for (let i = 0; i < 500; i++) {
        const s = net.connect(gw.port, '127.0.0.1');
        s.on('error', () => undefined);
        s.on('data', (d: Buffer) => answers.push(d.toString('latin1')));
        s.on('close', () => closed++);
        s.write('POST /gateway/web/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\nx');
        clients.push(s);
      }
      cleanups.push(() => clients.forEach((s) => s.destroy()));
      // On a busy 2-core machine the 500 connects alone take seconds: wait for every client to be
      // answered and closed by the gateway, then for the upstream side to empty.
      await eventually(() => closed === 500, 30_000, `every slow client closed by the gateway (${closed} of 500)`);
      await eventually(() => up.open === 0, 3000, `upstream connections released (open: ${up.open})`);
      clearInterval(sampler);
      const timedOut = answers.filter((a) => a.startsWith('HTTP/1.1 408')).length;
      const busy = answers.filter((a) => a.startsWith('HTTP/1.1 503')).length;
      t.diagnostic(`peak ${peak} upstream connections; ${timedOut} clients got 408, ${busy} got 503`);
      assert.ok(peak <= 128, `at most the per-instance connection limit was open (${peak})`);
      assert.equal(timedOut + busy, 500, 'every client got an answer');
      assert.equal(gw.gateway.inFlight('web', 'v1'), 0);
    });

    it('cuts a response whose instance stalls after the head', async () => {
      const up = await upstream((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789'));
      const gw = await gateway({ upstreamBodyIdleTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 5000);
      assert.equal(STATUS_LINE.exec(reply.text)?.[1], '200');
      assert.ok(reply.closed && reply.ms < 2000, `cut after ${reply.ms} ms (closed: ${reply.closed})`);
      await eventually(() => up.open === 0, 2000, 'the stalled upstream connection closed');
    });

    it('cuts a client that stops reading its response, releasing the upstream connection', async () => {
      // A client that never reads holds its response paused; without a limit 384 such clients
      // (128 connections + 256 queued) would lock an instance out for everyone, for ever.
      const up = await upstream((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\n');
        const chunk = Buffer.alloc(1 << 20, 97);
        let sent = 0;
        const more = (): void => {
          while (sent < 20 && socket.writable) {
            sent++;
            if (!socket.write(chunk)) return void socket.once('drain', more);
          }
        };
        more();
      });
      const gw = await gateway({ clientBodyIdleTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const client = net.connect(gw.port, '127.0.0.1');
      client.on('error', () => undefined);
      client.pause(); // never reads
      cleanups.push(() => void client.destroy());
      client.write('GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n');
      await eventually(() => up.requests.length === 1, 2000, 'the request reached the instance');
      await eventually(() => gw.gateway.inFlight('web', 'v1') === 0, 5000, 'the stalled response was given up');
      await eventually(() => up.open === 0, 5000, `the upstream connection closed (open: ${up.open})`);
    });

    it('answers 503 with Retry-After once an instance\'s connections and wait queue are full', async () => {
      const up = await upstream(() => undefined); // holds every request
      const gw = await gateway({ connectionsPerInstance: 2, queuePerInstance: 2 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const held = Array.from({ length: 4 }, () => rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 1500));
      await eventually(() => up.requests.length === 2, 2000, 'two requests at the instance');
      const refused = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 2000, completeResponse);
      assert.equal(STATUS_LINE.exec(refused.text)?.[1], '503', refused.text.slice(0, 200));
      assert.match(refused.text, /\r\nRetry-After: 1\r\n/i);
      assert.equal(up.connections, 2, 'the queue waited for a connection rather than opening more');
      await Promise.all(held);
    });

    it('closes a client answered 503 whose request body never ends', async () => {
      const up = await upstream(() => undefined); // holds every request
      const gw = await gateway({ connectionsPerInstance: 1, queuePerInstance: 1, clientBodyIdleTimeoutMs: 300 }, { keepAliveTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const held = Array.from({ length: 2 }, () => rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 3000));
      await eventually(() => gw.gateway.inFlight('web', 'v1') === 2, 2000, 'the instance is full');
      const reply = await rawRequest(gw.port, 'POST /gateway/web/ HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nx', 4000);
      assert.equal(STATUS_LINE.exec(reply.text)?.[1], '503', reply.text.slice(0, 200));
      assert.ok(reply.closed, `the connection was closed (waited ${reply.ms} ms)`);
      await Promise.all(held);
    });

    it('closes a client that does not finish its request head', async () => {
      const up = await upstream(echoLine);
      const gw = await gateway({}, { headersTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\nX-Slow: ', 5000);
      assert.ok(reply.closed && reply.ms < 2500, `closed after ${reply.ms} ms`);
      assert.equal(STATUS_LINE.exec(reply.text)?.[1], '408', reply.text.slice(0, 200));
      assert.equal(up.connections, 0);
    });

    it('closes idle keep-alive connections on both sides', async () => {
      const up = await upstream(echoLine);
      const gw = await gateway({ upstreamKeepAliveTimeoutMs: 300 }, { keepAliveTimeoutMs: 300 });
      gw.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [up.port]]] } }));
      const reply = await rawRequest(gw.port, 'GET /gateway/web/ HTTP/1.1\r\nHost: a\r\n\r\n', 3000);
      assert.ok(completeResponse(reply.text), reply.text.slice(0, 200));
      assert.ok(reply.closed && reply.ms < 2000, `the client connection closed after ${reply.ms} ms`);
      await eventually(() => up.open === 0, 2000, 'the idle upstream connection closed');
    });
  });
});

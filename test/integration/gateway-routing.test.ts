// The gateway against local node upstreams: where requests go, what they carry, what comes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes, send, servedBy, startGateway, startUpstream } from './gateway-fixtures.js';
import type { TestGateway, Upstream } from './gateway-fixtures.js';

describe('gateway routing', () => {
  let v1: Upstream;
  let v2: Upstream;
  let gw: TestGateway;

  before(async () => {
    v1 = await startUpstream('v1');
    v2 = await startUpstream('v2');
    gw = await startGateway();
    gw.gateway.setRoutes(routes({
      web: { versions: [['v1', 90, [v1.port]], ['v2', 10, [v2.port]]] },
      sticky: { sticky: true, versions: [['v1', 50, [v1.port]], ['v2', 50, [v2.port]]] },
      empty: { versions: [['v1', 100, []]] },
    }));
  });
  after(async () => {
    await gw.close();
    await v1.close();
    await v2.close();
  });

  const targets: Array<[string, string, string]> = [
    ['keeps the rest of the path, the query and percent-encodings exactly', '/gateway/web/a%2Fb/c%20d?x=1&y=%2F', '/a%2Fb/c%20d?x=1&y=%2F'],
    ['maps the service root without a trailing slash to /', '/gateway/web', '/'],
    ['maps the service root with a trailing slash to /', '/gateway/web/', '/'],
    ['keeps a query on the service root', '/gateway/web?q=1', '/?q=1'],
    ['keeps doubled slashes inside the path', '/gateway/web/a//b', '/a//b'],
  ];
  for (const [name, path, upstreamPath] of targets) {
    it(name, async () => {
      const reply = await send(gw.port, path, { headers: { 'X-DSR-Version': 'v1' } });
      assert.equal(reply.status, 200);
      assert.equal((JSON.parse(reply.body) as { url: string }).url, upstreamPath);
    });
  }

  it('splits 90/10 exactly: one request in ten goes to the canary', async () => {
    const agent = new (await import('node:http')).Agent({ keepAlive: true });
    const served: string[] = [];
    for (let i = 0; i < 100; i++) served.push(servedBy(await send(gw.port, '/gateway/web/', { agent })));
    agent.destroy();
    assert.equal(served.filter((s) => s === 'v2').length, 10);
    for (let i = 0; i < 100; i += 10) assert.equal(served.slice(i, i + 10).filter((s) => s === 'v2').length, 1, `window ${i}`);
  });

  it('answers 404 JSON for an unknown service', async () => {
    const reply = await send(gw.port, '/gateway/nope/x');
    assert.equal(reply.status, 404);
    assert.match(String(reply.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(reply.body), { error: 'unknown service', service: 'nope' });
  });

  it('answers 503 with Retry-After, never 404, for a service a provisional table does not know; routes those it knows', async () => {
    const provisional = await startGateway();
    try {
      provisional.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [v1.port]]] } }), { provisional: true });
      const unknown = await send(provisional.port, '/gateway/nope/x');
      assert.equal(unknown.status, 503);
      assert.equal(unknown.headers['retry-after'], '1');
      assert.deepEqual(JSON.parse(unknown.body), { error: 'routes not loaded yet', service: 'nope' });
      assert.equal(servedBy(await send(provisional.port, '/gateway/web/')), 'v1');
      // The controller's first table ends the provisional state: an unknown service is then a 404.
      provisional.gateway.setRoutes(routes({ web: { versions: [['v1', 100, [v1.port]]] } }));
      assert.equal((await send(provisional.port, '/gateway/nope/x')).status, 404);
    } finally {
      await provisional.close();
    }
  });

  it('answers 404 JSON when no service is named', async () => {
    const reply = await send(gw.port, '/gateway');
    assert.equal(reply.status, 404);
    assert.match((JSON.parse(reply.body) as { error: string }).error, /no service/);
  });

  it('answers 503 JSON for a service without a healthy instance', async () => {
    const reply = await send(gw.port, '/gateway/empty/');
    assert.equal(reply.status, 503);
    assert.equal(JSON.parse(reply.body).error, 'no healthy instance');
    assert.equal(JSON.parse(reply.body).service, 'empty');
  });

  it('leaves other paths to the fallback', async () => {
    const reply = await send(gw.port, '/api/services');
    assert.equal(reply.status, 418);
    assert.equal(reply.body, 'fallback');
  });

  it('pins a version with X-DSR-Version and ignores an unknown one', async () => {
    for (let i = 0; i < 5; i++) assert.equal(servedBy(await send(gw.port, '/gateway/web/', { headers: { 'X-DSR-Version': 'v2' } })), 'v2');
    const unknown = await send(gw.port, '/gateway/web/', { headers: { 'X-DSR-Version': 'v9' } });
    assert.equal(unknown.status, 200);
  });

  it('sets the sticky cookie and keeps a client on its version', async () => {
    const first = await send(gw.port, '/gateway/sticky/');
    const cookie = String(first.headers['set-cookie']);
    const version = servedBy(first);
    assert.equal(cookie, `dsr-sticky=${version}; Path=/gateway/sticky; HttpOnly; SameSite=Lax`);
    for (let i = 0; i < 6; i++) {
      const next = await send(gw.port, '/gateway/sticky/', { headers: { Cookie: `other=1; dsr-sticky=${version}` } });
      assert.equal(servedBy(next), version);
      assert.equal(next.headers['set-cookie'], undefined, 'no new cookie while it is honoured');
    }
  });

  it('sets no sticky cookie on a service that is not sticky', async () => {
    const reply = await send(gw.port, '/gateway/web/');
    assert.equal(reply.headers['set-cookie'], undefined);
  });

  it('sets X-Forwarded-For (appended), -Proto, -Host and keeps a sane X-Request-Id', async () => {
    const reply = await send(gw.port, '/gateway/web/', { headers: { Host: 'shop.example', 'X-Forwarded-For': '203.0.113.7', 'X-Request-Id': 'abc-123', 'X-Forwarded-Proto': 'https' } });
    const seen = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
    assert.equal(seen['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(seen['x-forwarded-proto'], 'http');
    assert.equal(seen['x-forwarded-host'], 'shop.example');
    assert.equal(seen['x-request-id'], 'abc-123');
    assert.match(seen['host']!, /^127\.0\.0\.1:\d+$/);
  });

  it('replaces an insane X-Request-Id with a generated one', async () => {
    const reply = await send(gw.port, '/gateway/web/', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    const seen = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
    assert.match(seen['x-request-id']!, /^[0-9a-f-]{36}$/);
  });

  it('drops hop-by-hop request headers and those Connection names', async () => {
    const reply = await send(gw.port, '/gateway/web/', {
      headers: {
        Connection: 'close, X-Secret', 'X-Secret': '1', 'Keep-Alive': 'timeout=5', TE: 'trailers',
        'Proxy-Authorization': 'Basic eA==', 'Proxy-Connection': 'keep-alive', 'X-Kept': 'yes', 'X-DSR-Version': 'v1',
      },
    });
    const seen = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
    for (const h of ['x-secret', 'keep-alive', 'te', 'proxy-authorization', 'proxy-connection']) assert.equal(seen[h], undefined, h);
    assert.equal(seen['x-kept'], 'yes');
    assert.equal(seen['connection'], 'keep-alive', "undici's own field, never the client's 'close, X-Secret'");
  });
});

describe('gateway response relaying', () => {
  let up: Upstream;
  let gw: TestGateway;

  before(async () => {
    up = await startUpstream('raw', (req, res) => {
      if (req.url === '/hop') {
        res.writeHead(200, [
          'Connection', 'X-Internal', 'X-Internal', 'secret', 'Keep-Alive', 'timeout=5', 'Proxy-Authenticate', 'Basic',
          'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '2',
        ]);
        res.end('ok');
      } else if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('hello ');
        setTimeout(() => res.end('world'), 20);
      } else if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else if (req.url === '/fail') {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('boom');
      } else {
        res.writeHead(200, { 'Content-Length': '5' });
        res.end(req.method === 'HEAD' ? undefined : 'hello');
      }
    });
    gw = await startGateway();
    gw.gateway.setRoutes(routes({ raw: { versions: [['v1', 100, [up.port]]] } }));
  });
  after(async () => {
    await gw.close();
    await up.close();
  });

  it('drops hop-by-hop response headers and keeps repeated Set-Cookie', async () => {
    const reply = await send(gw.port, '/gateway/raw/hop');
    assert.equal(reply.body, 'ok');
    assert.equal(reply.headers['x-internal'], undefined);
    assert.equal(reply.headers['keep-alive'], undefined);
    assert.equal(reply.headers['proxy-authenticate'], undefined);
    assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
  });

  it('relays a chunked body', async () => {
    const reply = await send(gw.port, '/gateway/raw/chunked');
    assert.equal(reply.body, 'hello world');
  });

  it('relays HEAD and 204 without a body', async () => {
    const head = await send(gw.port, '/gateway/raw/x', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '5');
    assert.equal(head.body, '');
    const empty = await send(gw.port, '/gateway/raw/empty');
    assert.equal(empty.status, 204);
  });

  it('relays an instance\'s own 5xx and counts it', async () => {
    const reply = await send(gw.port, '/gateway/raw/fail');
    assert.equal(reply.status, 500);
    assert.equal(reply.body, 'boom');
    const now = Date.now();
    const w = gw.gateway.metrics.window('raw', 'v1', now - 60_000, now + 1000);
    assert.ok(w.errors >= 1);
    assert.equal(w.upstreamFailures, 0);
  });

  it('reuses its pooled connections', async () => {
    const before = up.connections;
    for (let i = 0; i < 20; i++) await send(gw.port, '/gateway/raw/x');
    assert.ok(up.connections - before <= 1, `opened ${up.connections - before} connections for 20 sequential requests`);
  });
});

describe('gateway prefix option', () => {
  it('serves under a custom prefix and leaves the default one to the fallback', async () => {
    const up = await startUpstream('v1');
    const gw = await startGateway({ prefix: 'edge/' });
    try {
      gw.gateway.setRoutes(routes({ web: { sticky: true, versions: [['v1', 100, [up.port]]] } }));
      const reply = await send(gw.port, '/edge/web/x?y=1');
      assert.equal((JSON.parse(reply.body) as { url: string }).url, '/x?y=1');
      assert.equal(reply.headers['set-cookie']?.[0], 'dsr-web=v1; Path=/edge/web; HttpOnly; SameSite=Lax');
      assert.equal((await send(gw.port, '/gateway/web/')).status, 418);
    } finally {
      await gw.close();
      await up.close();
    }
  });
});

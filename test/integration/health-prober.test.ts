import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeOnce } from '../../src/health/probe.js';
import { Prober, type ProbeTarget } from '../../src/health/prober.js';
import type { HealthSpec } from '../../src/manifest/service-spec.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** A real HTTP server on 127.0.0.1 that counts what it receives. */
interface TestServer {
  port: number;
  requests: Array<{ method: string; url: string; connection: string | undefined; at: number }>;
  open: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    t.requests.push({ method: req.method ?? '', url: req.url ?? '', connection: req.headers.connection, at: Date.now() });
    handler(req, res);
  });
  const t: TestServer = {
    port: 0,
    requests: [],
    open: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on('connection', (socket) => {
    t.open++;
    socket.on('close', () => t.open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.port = (server.address() as AddressInfo).port;
  servers.push(t);
  return t;
}

function json(status: number, body: string) {
  return (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = await serve(json(200, ''));
  await s.close();
  return s.port;
}

after(() => Promise.all(servers.map((s) => s.close())));

describe('probeOnce against real HTTP servers', () => {
  const cases: Array<{ name: string; handler: Parameters<typeof serve>[0]; expected: { ok: true } | { ok: false; error: string } }> = [
    { name: 'healthy JSON is healthy', handler: json(200, '{"status":"healthy","version":"v1"}'), expected: { ok: true } },
    { name: 'any 2xx with the healthy body is healthy', handler: json(203, '{"status":"healthy"}'), expected: { ok: true } },
    { name: 'HTTP 500 is a failure', handler: json(500, '{"status":"healthy"}'), expected: { ok: false, error: 'HTTP 500' } },
    { name: 'a redirect is a failure, not followed', handler: json(302, ''), expected: { ok: false, error: 'HTTP 302' } },
    {
      name: 'another status is a failure that shows the body',
      handler: json(200, '{"status":"degraded"}'),
      expected: { ok: false, error: 'body is not {"status":"healthy"}: {"status":"degraded"}' },
    },
    { name: 'a body that is not JSON is a failure', handler: json(200, 'OK\n'), expected: { ok: false, error: 'body is not {"status":"healthy"}: OK' } },
    { name: 'an empty body is a failure', handler: json(200, ''), expected: { ok: false, error: 'body is not {"status":"healthy"}: (empty)' } },
    { name: 'a JSON string is a failure', handler: json(200, '"healthy"'), expected: { ok: false, error: 'body is not {"status":"healthy"}: "healthy"' } },
    {
      name: 'a body over 64 KiB is a failure',
      handler: json(200, `{"status":"healthy","pad":"${'x'.repeat(70_000)}"}`),
      expected: { ok: false, error: 'body is larger than 64 KiB' },
    },
    {
      name: 'a connection closed without an answer is a failure',
      handler: (req) => req.socket.destroy(),
      expected: { ok: false, error: 'connection closed without a response' },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const server = await serve(c.handler);
      assert.deepEqual(await probeOnce({ host: '127.0.0.1', port: server.port }, '/health', 2_000), c.expected);
    });
  }

  it('sends one GET to the configured path on a connection it does not keep', async () => {
    const server = await serve(json(200, '{"status":"healthy"}'));
    await probeOnce({ host: '127.0.0.1', port: server.port }, '/ready?full=1', 2_000);
    assert.deepEqual(server.requests.map(({ at: _, ...r }) => r), [{ method: 'GET', url: '/ready?full=1', connection: 'close' }]);
    await waitFor('connection closed', () => server.open === 0, 2_000, 10);
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const result = await probeOnce({ host: '127.0.0.1', port: server.port }, '/health', 200);
    const took = Date.now() - started;
    assert.deepEqual(result, { ok: false, error: 'timed out after 200ms' });
    assert.ok(took >= 190 && took < 1_500, `took ${took}ms`);
    await waitFor('connection closed', () => server.open === 0, 2_000, 10);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    assert.deepEqual(await probeOnce({ host: '127.0.0.1', port }, '/health', 2_000), { ok: false, error: 'connection refused' });
  });
});

describe('prober against real HTTP servers', () => {
  const spec: HealthSpec = { probe: { kind: 'http', path: '/health' }, intervalMs: 20, timeoutMs: 150, failureThreshold: 3, successThreshold: 1, startPeriodMs: 0 };
  function target(id: string, port: number, over: Partial<HealthSpec> = {}): ProbeTarget {
    return { id, service: 'web', version: 'v1', address: { host: '127.0.0.1', port }, startedAt: Date.now(), spec: { ...spec, ...over } };
  }
  function open(): { prober: Prober; changes: string[] } {
    const changes: string[] = [];
    const prober = new Prober({ onChange: (id, previous, next) => changes.push(`${id}: ${previous} -> ${next.health}`) });
    return { prober, changes };
  }

  it('marks an instance answering healthy JSON healthy', async () => {
    const server = await serve(json(200, '{"status":"healthy"}'));
    const { prober, changes } = open();
    try {
      prober.sync([target('a', server.port)]);
      await waitFor('a healthy', () => prober.get('a')?.health === 'healthy', 5_000, 10);
      assert.deepEqual(changes, ['a: starting -> healthy']);
    } finally {
      prober.close();
    }
  });

  it('marks an instance answering 500 unhealthy after exactly failureThreshold requests', async () => {
    const server = await serve(json(500, 'boom'));
    const { prober, changes } = open();
    try {
      prober.sync([target('a', server.port, { failureThreshold: 4 })]);
      await waitFor('a unhealthy', () => prober.get('a')?.health === 'unhealthy', 5_000, 10);
      await sleep(150);
      assert.equal(server.requests.length, 4);
      assert.equal(prober.get('a')?.lastError, 'HTTP 500');
      assert.deepEqual(changes, ['a: starting -> unhealthy']);
    } finally {
      prober.close();
    }
  });

  it('marks an instance with the wrong body unhealthy', async () => {
    const server = await serve(json(200, '{"status":"starting"}'));
    const { prober } = open();
    try {
      prober.sync([target('a', server.port)]);
      await waitFor('a unhealthy', () => prober.get('a')?.health === 'unhealthy', 5_000, 10);
      assert.equal(prober.get('a')?.lastError, 'body is not {"status":"healthy"}: {"status":"starting"}');
    } finally {
      prober.close();
    }
  });

  it('times out on an instance that never answers, one request at a time', async () => {
    const server = await serve(() => undefined);
    const { prober } = open();
    try {
      prober.sync([target('a', server.port, { timeoutMs: 60, failureThreshold: 2 })]);
      await waitFor('a unhealthy', () => prober.get('a')?.health === 'unhealthy', 5_000, 10);
      assert.equal(prober.get('a')?.lastError, 'timed out after 60ms');
      // Two requests for two failures: the 20 ms ticks that fell inside a 60 ms probe were skipped
      // instead of opening overlapping probes (which would have made about six requests). The
      // gap between arrivals is not asserted: on a loaded machine the first arrival can lag.
      assert.equal(server.requests.length, 2);
    } finally {
      prober.close();
    }
  });

  it('marks an instance refusing connections unhealthy', async () => {
    const port = await closedPort();
    const { prober } = open();
    try {
      prober.sync([target('a', port)]);
      await waitFor('a unhealthy', () => prober.get('a')?.health === 'unhealthy', 5_000, 10);
      assert.equal(prober.get('a')?.lastError, 'connection refused');
      assert.equal(prober.get('a')?.consecutiveFailures, 3);
    } finally {
      prober.close();
    }
  });

  it('brings an instance back into rotation after a passive failure once it answers again', async () => {
    const server = await serve(json(200, '{"status":"healthy"}'));
    const { prober, changes } = open();
    try {
      prober.sync([target('a', server.port)]);
      await waitFor('a healthy', () => prober.get('a')?.health === 'healthy', 5_000, 10);
      prober.markPassiveFailure('a', 'connection reset');
      assert.equal(prober.get('a')?.health, 'starting');
      await waitFor('a healthy again', () => prober.get('a')?.health === 'healthy', 5_000, 10);
      assert.deepEqual(changes, ['a: starting -> healthy', 'a: healthy -> starting', 'a: starting -> healthy']);
    } finally {
      prober.close();
    }
  });
});

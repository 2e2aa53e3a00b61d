// DNS-rebinding protection over real HTTP: the API answers only known Host headers (421 for
// others), /healthz answers any, and the gateway's /gateway/ traffic is never checked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { createApiApp } from '../../src/api/app.js';
import { hostPolicy } from '../../src/api/host-check.js';
import type { Controller } from '../../src/controller/controller.js';
import { MemoryEventLog } from '../../src/events/memory-event-log.js';
import { createGateway } from '../../src/gateway/gateway.js';
import { createGatewayServer } from '../../src/gateway/server.js';

/** The few Controller reads the API makes, with nothing declared. */
const controller = {
  docker: () => ({ available: true, error: null }),
  revision: () => null,
  statuses: () => [],
  status: () => undefined,
  manifestErrors: () => [],
} as unknown as Controller;

/** GET `path` with the given Host header (fetch would send its own), resolving with the status. */
function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
  });
}

describe('API Host check', () => {
  let server: Server;
  let port: number;
  const events = new MemoryEventLog();
  before(async () => {
    const app = createApiApp({ controller, events, version: 'test', metrics: new Registry(), hosts: hostPolicy('0.0.0.0', 'dsr.example.com') });
    server = createGatewayServer(createGateway(), app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const routes = ['/api/services', '/events', '/metrics', '/dashboard', '/api/services/web'];
  for (const path of routes) {
    it(`answers ${path} for localhost and refuses a rebinding name with 421`, async () => {
      assert.notEqual(await get(port, path, `localhost:${port}`), 421);
      assert.notEqual(await get(port, path, `127.0.0.1:${port}`), 421);
      assert.notEqual(await get(port, path, `dsr.example.com:${port}`), 421, 'DSR_ALLOWED_HOSTS');
      assert.equal(await get(port, path, `rebind.attacker.example:${port}`), 421);
    });
  }

  it('answers /healthz whatever the Host, for health checkers that address DSR by any name', async () => {
    assert.equal(await get(port, '/healthz', 'rebind.attacker.example'), 200);
  });

  it('never checks the Host of gateway traffic', async () => {
    const status = await get(port, '/gateway/nothing/here', 'shop.example.com');
    assert.notEqual(status, 421);
    assert.ok(status >= 400, 'no such service, but the gateway answered');
  });

  it('refuses the event stream to a rebinding name before opening it', async () => {
    assert.equal(await get(port, '/events/stream', 'rebind.attacker.example'), 421);
  });
});

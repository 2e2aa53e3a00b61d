import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGateway } from '../../src/gateway/gateway.js';
import { internalGateway } from '../../src/gateway/internal-listener.js';
import type { InternalAddress } from '../../src/gateway/internal-address.js';

// On 127.0.0.1 with port 0: the listener's behaviour without Docker (DockerRuntime chooses the real address).
describe('internal gateway listener', () => {
  const gateway = createGateway();
  const loopback = async (): Promise<InternalAddress> => ({ bind: '127.0.0.1', urlHost: 'dsr-test' });
  const listener = internalGateway({ gateway, locate: loopback, port: 0 });
  after(async () => {
    await listener.close(1000);
    await gateway.close();
  });

  /** The URL of a listener that is on. */
  const urlOf = async (l: ReturnType<typeof internalGateway>): Promise<string> => {
    const url = await l.url();
    assert.ok(url, 'the listener is on');
    return url;
  };
  const base = async (): Promise<string> => (await urlOf(listener)).replace('dsr-test', '127.0.0.1');

  it('names the located host and the bound port in DSR_GATEWAY_URL', async () => {
    assert.match(await urlOf(listener), /^http:\/\/dsr-test:[0-9]+\/gateway$/);
    assert.equal(await listener.url(), await listener.url(), 'started once');
  });

  it('hands /gateway/<service>/ to the gateway', async () => {
    const res = await fetch(`${await base()}/nosuch/x`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'unknown service', service: 'nosuch' });
  });

  const refused = ['/api/services', '/metrics', '/dashboard', '/healthz', '/events', '/'];
  for (const path of refused) {
    it(`refuses ${path} with a line saying what it serves`, async () => {
      const res = await fetch(`${(await base()).replace(/\/gateway$/, '')}${path}`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /serves only \$DSR_GATEWAY_URL\/<service>/);
    });
  }

  it('tries to locate again after a failure, and says why it failed', async () => {
    let calls = 0;
    const flaky = internalGateway({ gateway, port: 0, locate: async () => {
      calls++;
      if (calls === 1) throw new Error('engine unreachable');
      return loopback();
    } });
    await assert.rejects(flaky.url(), /engine unreachable/);
    assert.match(await urlOf(flaky), /^http:\/\/dsr-test:/);
    assert.equal(calls, 2);
    await flaky.close(1000);
    await assert.rejects(flaky.url(), /shutting down/);
  });

  it('says which address and variable to change when the port is taken', async () => {
    const port = Number(new URL(await urlOf(listener)).port);
    const second = internalGateway({ gateway, port, locate: loopback });
    await assert.rejects(second.url(), /cannot listen on 127\.0\.0\.1:[0-9]+ .*DSR_INTERNAL_PORT/);
    await second.close(1000);
  });

  it('is off without a port: no listener, no URL, nothing located', async () => {
    let located = false;
    const off = internalGateway({ gateway, port: null, locate: async () => { located = true; return loopback(); } });
    assert.equal(await off.url(), null);
    assert.equal(located, false);
    await off.close(1000);
  });
});

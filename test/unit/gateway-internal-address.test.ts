import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { internalGatewayUrl } from '../../src/gateway/internal-address.js';
import { chooseInternalAddress, hostModeAddress, networkModeAddress, InternalAddressError } from '../../src/docker/gateway-address.js';
import type { NetworkFacts, SelfFacts } from '../../src/docker/gateway-address.js';
import { containerCreateOptions } from '../../src/docker/container-config.js';
import type { InstanceSpec } from '../../src/runtime/runtime.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';

describe('hostModeAddress', () => {
  const cases: Array<{ name: string; network: NetworkFacts; want: string | RegExp }> = [
    { name: "binds docker0's gateway", network: { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } }, want: '172.17.0.1' },
    { name: 'takes the IPv4 gateway of a dual-stack bridge', network: { Name: 'bridge', IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '10.9.0.0/24', Gateway: '10.9.0.1' }] } }, want: '10.9.0.1' },
    { name: 'refuses a bridge without a gateway (never falls back to 0.0.0.0)', network: { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }, want: /no IPv4 gateway.*docker network inspect bridge/ },
    { name: 'refuses a network without IPAM config', network: { Name: 'bridge', IPAM: { Config: null } }, want: /no IPv4 gateway/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (typeof c.want === 'string') assert.deepEqual(hostModeAddress(c.network), { bind: c.want, urlHost: c.want });
      else assert.throws(() => hostModeAddress(c.network), (err: Error) => err instanceof InternalAddressError && (c.want as RegExp).test(err.message));
    });
  }
});

describe('networkModeAddress', () => {
  const self: SelfFacts = { Name: '/dsr-dsr-1', NetworkSettings: { Networks: { other: { IPAddress: '10.1.0.5' }, dsr: { IPAddress: '172.20.0.3' } } } };
  it("binds DSR's address on the shared network and names its container in the URL", () => {
    assert.deepEqual(networkModeAddress(self, 'dsr'), { bind: '172.20.0.3', urlHost: 'dsr-dsr-1' });
  });
  it('refuses when DSR is not on the shared network, saying how to attach it', () => {
    assert.throws(() => networkModeAddress(self, 'dsr-prod'), /not attached to the network "dsr-prod".*--network dsr-prod/);
  });
  it('refuses an attachment without an address (never 0.0.0.0)', () => {
    assert.throws(() => networkModeAddress({ Name: '/x', NetworkSettings: { Networks: { dsr: { IPAddress: '' } } } }, 'dsr'), InternalAddressError);
  });
});

describe('chooseInternalAddress', () => {
  it('uses the network facts in host mode and the self facts in network mode', () => {
    const network: NetworkFacts = { Name: 'bridge', IPAM: { Config: [{ Gateway: '172.17.0.1' }] } };
    const self: SelfFacts = { Name: '/dsr', NetworkSettings: { Networks: { dsr: { IPAddress: '172.20.0.2' } } } };
    assert.equal(chooseInternalAddress('host', { network, self }, 'dsr').bind, '172.17.0.1');
    assert.equal(chooseInternalAddress('network', { network, self }, 'dsr').urlHost, 'dsr');
  });
});

describe('internalGatewayUrl', () => {
  const cases = [
    { name: 'an IPv4 host', host: '172.17.0.1', port: 7701, want: 'http://172.17.0.1:7701/gateway' },
    { name: 'a container name', host: 'dsr-dsr-1', port: 7701, want: 'http://dsr-dsr-1:7701/gateway' },
    { name: 'an IPv6 host in brackets', host: 'fd00::1', port: 9000, want: 'http://[fd00::1]:9000/gateway' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(internalGatewayUrl(c.host, c.port), c.want));
});

describe('DSR_GATEWAY_URL in the create options', () => {
  const spec: InstanceSpec = { service: 'web', version: 'v1', index: 1, template: { image: 'web:v1', env: { A: '1', DSR_GATEWAY_URL: 'mine' }, command: null, port: 80, ...ADDED_DEFAULTS }, specHash: 'h' };
  it('is set from the placement, overriding a manifest value, and leaves the spec hash label alone', () => {
    const options = containerCreateOptions('default', spec, { mode: 'host', network: 'dsr', gatewayUrl: 'http://172.17.0.1:7701/gateway' });
    assert.deepEqual(options.Env, ['A=1', 'DSR_GATEWAY_URL=http://172.17.0.1:7701/gateway']);
    assert.equal(options.Labels?.['dsr.spec-hash'], 'h');
  });
  it('is absent without a gateway URL', () => {
    const options = containerCreateOptions('default', { ...spec, template: { ...spec.template, env: { A: '1' } } }, { mode: 'host', network: 'dsr' });
    assert.deepEqual(options.Env, ['A=1']);
  });
});

// On Swarm, DSR_GATEWAY_URL names DSR's service (stable when Swarm recreates DSR's task), while the
// listener binds DSR's own address on the overlay; outside a task, the container name as on Docker.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InternalAddressError } from '../../src/docker/gateway-address.js';
import { swarmInternalAddress } from '../../src/swarm/gateway-address.js';
import type { SwarmSelfFacts } from '../../src/swarm/gateway-address.js';

const onOverlay = { Networks: { dsr: { IPAddress: '10.0.1.7' }, docker_gwbridge: { IPAddress: '172.18.0.3' } } };

describe('swarmInternalAddress', () => {
  const cases: Array<{ name: string; self: SwarmSelfFacts; want: { bind: string; urlHost: string } }> = [
    {
      name: 'a Swarm task: binds its overlay address, the URL names its service',
      self: { Name: '/dsr_dsr.1.x8k2m0', NetworkSettings: onOverlay, Config: { Labels: { 'com.docker.swarm.service.name': 'dsr_dsr', 'com.docker.swarm.task.name': 'dsr_dsr.1.x8k2m0' } } },
      want: { bind: '10.0.1.7', urlHost: 'dsr_dsr' },
    },
    {
      name: 'a plain container on the overlay: its container name',
      self: { Name: '/dsr-manual', NetworkSettings: onOverlay, Config: { Labels: { 'com.example': 'x' } } },
      want: { bind: '10.0.1.7', urlHost: 'dsr-manual' },
    },
    {
      name: 'no labels at all: its container name',
      self: { Name: '/dsr-manual', NetworkSettings: onOverlay, Config: { Labels: null } },
      want: { bind: '10.0.1.7', urlHost: 'dsr-manual' },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(swarmInternalAddress(c.self, 'dsr'), c.want));

  it('refuses a task that is not on the overlay, saying how to attach it', () => {
    const self: SwarmSelfFacts = { Name: '/dsr_dsr.1.x8k2m0', NetworkSettings: { Networks: { ingress: { IPAddress: '10.0.0.4' } } }, Config: { Labels: { 'com.docker.swarm.service.name': 'dsr_dsr' } } };
    assert.throws(() => swarmInternalAddress(self, 'dsr'), (err: unknown) => err instanceof InternalAddressError && /not attached to the network "dsr"/.test(err.message));
  });
});

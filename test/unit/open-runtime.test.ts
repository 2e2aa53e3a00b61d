// DSR_RUNTIME / --runtime picks the engine; a typo stops DSR with the valid values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openRuntime, runtimeKind } from '../../src/cli/open-runtime.js';

describe('runtimeKind', () => {
  const cases: Array<[string | undefined, string]> = [[undefined, 'docker'], ['', 'docker'], ['docker', 'docker'], ['swarm', 'swarm']];
  for (const [value, want] of cases) it(`${JSON.stringify(value)} is ${want}`, () => assert.equal(runtimeKind(value), want));
  it('names the valid values for anything else', () => assert.throws(() => runtimeKind('kubernetes'), /one of docker, swarm, got "kubernetes"/));
});

describe('openRuntime', () => {
  it('swarm: the overlay from DSR_NETWORK, the owner from DSR_OWNER', () => {
    const { runtime, description } = openRuntime('swarm', { env: { DSR_OWNER: 'team1', DSR_NETWORK: 'apps' } });
    assert.equal(description, 'swarm: overlay apps');
    assert.equal((runtime as unknown as { owner: string }).owner, 'team1');
  });
  it('docker: the address mode as before', () => {
    assert.equal(openRuntime('docker', { env: { DSR_NETWORK_MODE: 'network' } }).description, 'docker: network mode');
  });
});

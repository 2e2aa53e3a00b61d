import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteTable } from '../../src/controller/routes.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';

function c(id: string, version: string, index: number, over: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id, name: `dsr-web-${version}-${index}`, service: 'web', version, index, specHash: 'h', state: 'running',
    createdAt: '2026-01-01T00:00:00Z', exitCode: null, address: { host: '127.0.0.1', port: 30000 + index }, image: 'i', ...over,
  };
}

describe('buildRouteTable', () => {
  const service = { name: 'web', sticky: false, versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] };
  const cases: Array<{ name: string; observed: ObservedContainer[]; healthy: string[]; expected: Record<string, string[]> }> = [
    { name: 'lists healthy instances per version in index order', observed: [c('b', 'v1', 2), c('a', 'v1', 1), c('x', 'v2', 1)], healthy: ['a', 'b', 'x'], expected: { v1: ['a', 'b'], v2: ['x'] } },
    { name: 'leaves out instances that are not healthy', observed: [c('a', 'v1', 1), c('b', 'v1', 2)], healthy: ['b'], expected: { v1: ['b'], v2: [] } },
    { name: 'leaves out containers that are not running or have no address', observed: [c('a', 'v1', 1, { state: 'exited' }), c('b', 'v1', 2, { address: null })], healthy: ['a', 'b'], expected: { v1: [], v2: [] } },
    { name: 'ignores containers of other services and undeclared versions', observed: [c('a', 'v9', 1), c('b', 'v1', 1, { service: 'api' })], healthy: ['a', 'b'], expected: { v1: [], v2: [] } },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const table = buildRouteTable([service], t.observed, (id) => t.healthy.includes(id));
      const route = table.services.get('web')!;
      assert.deepEqual(route.versions.map((v) => v.weight), [90, 10]);
      assert.deepEqual(Object.fromEntries(route.versions.map((v) => [v.name, v.instances.map((i) => i.id)])), t.expected);
    });
  }

  it('gives a worker (no port) no route, and keeps the routes of the others', () => {
    const worker = { name: 'db', worker: true, sticky: false, versions: [{ name: 'v1', weight: 100 }] };
    const table = buildRouteTable([service, worker], [c('a', 'v1', 1), c('d', 'v1', 1, { service: 'db', address: null })], () => true);
    assert.deepEqual([...table.services.keys()], ['web']);
  });

  it('passes upstreamKeepAlive: false through, and leaves it out when on', () => {
    const off = buildRouteTable([{ ...service, upstreamKeepAlive: false }], [], () => true).services.get('web')!;
    const on = buildRouteTable([{ ...service, upstreamKeepAlive: true }], [], () => true).services.get('web')!;
    assert.equal(off.upstreamKeepAlive, false);
    assert.equal('upstreamKeepAlive' in on, false);
  });
});

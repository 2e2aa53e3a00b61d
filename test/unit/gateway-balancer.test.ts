import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choose, nextUsable } from '../../src/gateway/balancer.js';
import { compileRoutes } from '../../src/gateway/live-routes.js';
import type { LiveService, LiveState, LiveTable } from '../../src/gateway/live-routes.js';
import { GatewayMetrics } from '../../src/gateway/metrics.js';
import type { RouteTable } from '../../src/gateway/route-table.js';

/** A table of one service 'web' from [version, weight, instance count]; instance ids are '<version>-<n>'. */
function table(versions: Array<[string, number, number]>): RouteTable {
  return {
    services: new Map([['web', {
      name: 'web',
      sticky: false,
      versions: versions.map(([name, weight, n]) => ({
        name,
        weight,
        instances: Array.from({ length: n }, (_, i) => ({ id: `${name}-${i}`, address: { host: '127.0.0.1', port: 10_000 + i } })),
      })),
    }]]),
  };
}

function compile(versions: Array<[string, number, number]>): { service: LiveService; state: LiveState; live: LiveTable } {
  const metrics = new GatewayMetrics(() => 0);
  const state: LiveState = { instances: new Map(), versions: new Map(), series: (s, v) => metrics.series(s, v) };
  const live = compileRoutes(table(versions), { services: new Map() }, state);
  return { service: live.services.get('web')!, state, live };
}

/** The instance ids of n successive choices ('-' for none). */
function run(service: LiveService, n: number, options: { pinned?: string; tried?: string[] } = {}): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const c = choose(service, options.pinned ? service.byName.get(options.pinned) ?? null : null, options.tried);
    out.push(c ? c.instance.id : '-');
  }
  return out;
}

describe('balancer', () => {
  it('round-robins over the instances of the chosen version', () => {
    assert.deepEqual(run(compile([['v1', 100, 3]]).service, 6), ['v1-0', 'v1-1', 'v1-2', 'v1-0', 'v1-1', 'v1-2']);
  });

  it('skips ejected instances', () => {
    const { service, state } = compile([['v1', 100, 3]]);
    state.instances.get('v1-1')!.ejected = true;
    assert.deepEqual(run(service, 4), ['v1-0', 'v1-2', 'v1-0', 'v1-2']);
  });

  it('skips instances this request already tried', () => {
    assert.deepEqual(run(compile([['v1', 100, 3]]).service, 2, { tried: ['v1-0'] }), ['v1-1', 'v1-2']);
  });

  it('weights versions, then round-robins within each', () => {
    assert.deepEqual(run(compile([['v1', 90, 2], ['v2', 10, 1]]).service, 10), ['v1-0', 'v1-1', 'v1-0', 'v1-1', 'v1-0', 'v2-0', 'v1-1', 'v1-0', 'v1-1', 'v1-0']);
  });

  it('gives the weight of a version whose instances are all ejected to the others', () => {
    const { service, state } = compile([['v1', 90, 1], ['v2', 10, 1]]);
    state.instances.get('v1-0')!.ejected = true;
    assert.deepEqual(run(service, 3), ['v2-0', 'v2-0', 'v2-0']);
  });

  it('honours a pinned version that has a usable instance', () => {
    assert.deepEqual(run(compile([['v1', 90, 1], ['v2', 10, 1]]).service, 3, { pinned: 'v2' }), ['v2-0', 'v2-0', 'v2-0']);
  });

  it('falls back to the weighted choice when the pinned version has no usable instance', () => {
    assert.deepEqual(run(compile([['v1', 90, 1], ['v2', 10, 0]]).service, 2, { pinned: 'v2' }), ['v1-0', 'v1-0']);
  });

  it('uses a weight-0 version only when every weighted version is out', () => {
    const { service, state } = compile([['v1', 100, 1], ['v2', 0, 1]]);
    assert.deepEqual(run(service, 2), ['v1-0', 'v1-0']);
    state.instances.get('v1-0')!.ejected = true;
    assert.deepEqual(run(service, 2), ['v2-0', 'v2-0']);
  });

  it('answers null when no instance is usable', () => {
    assert.deepEqual(run(compile([['v1', 100, 0]]).service, 1), ['-']);
    assert.deepEqual(run(compile([['v1', 100, 2]]).service, 1, { tried: ['v1-0', 'v1-1'] }), ['-']);
  });

  const wraps: Array<[string, number, string[], number]> = [
    ['finds the next usable from the start', 1, [], 1],
    ['wraps around the end', 3, [], 0],
    ['skips tried instances', 1, ['v1-1'], 2],
    ['answers -1 when all are tried', 0, ['v1-0', 'v1-1', 'v1-2'], -1],
  ];
  for (const [name, start, tried, expected] of wraps) {
    it(`nextUsable ${name}`, () => assert.equal(nextUsable(compile([['v1', 100, 3]]).service.versions[0]!.instances, start, tried), expected));
  }
});

describe('live routes across table swaps', () => {
  it('continues the WRR sequence when the weights are unchanged', () => {
    const { state, live } = compile([['v1', 90, 1], ['v2', 10, 1]]);
    const head = run(live.services.get('web')!, 4);
    const next = compileRoutes(table([['v1', 90, 1], ['v2', 10, 1]]), live, state);
    assert.deepEqual([...head, ...run(next.services.get('web')!, 6)].map((id) => id[1]), ['1', '1', '1', '1', '1', '2', '1', '1', '1', '1']);
  });

  it('restarts the WRR sequence when the weights change', () => {
    const { state, live } = compile([['v1', 90, 1], ['v2', 10, 1]]);
    run(live.services.get('web')!, 3);
    const next = compileRoutes(table([['v1', 50, 1], ['v2', 50, 1]]), live, state);
    assert.deepEqual(run(next.services.get('web')!, 4), ['v1-0', 'v2-0', 'v1-0', 'v2-0']);
  });

  it('keeps round-robin positions, ejections and in-flight counts of instances that stay', () => {
    const { state, live } = compile([['v1', 100, 3]]);
    run(live.services.get('web')!, 1);
    state.instances.get('v1-2')!.ejected = true;
    state.instances.get('v1-1')!.inFlight = 2;
    const next = compileRoutes(table([['v1', 100, 3]]), live, state);
    assert.deepEqual(run(next.services.get('web')!, 2), ['v1-1', 'v1-0']);
    assert.equal(state.instances.get('v1-1')!.inFlight, 2);
  });

  it('forgets instances that left, but keeps counting those still busy', () => {
    const { state, live } = compile([['v1', 100, 3]]);
    state.instances.get('v1-2')!.ejected = true;
    state.instances.get('v1-2')!.inFlight = 1;
    state.instances.get('v1-1')!.ejected = true;
    compileRoutes(table([['v1', 100, 1]]), live, state);
    assert.equal(state.instances.has('v1-1'), false);
    assert.deepEqual({ ...state.instances.get('v1-2') }, { id: 'v1-2', ejected: false, inFlight: 1, tunnels: 0 });
  });
});

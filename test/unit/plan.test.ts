import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plan, type PlanInput } from '../../src/plan/plan.js';
import { pruneBlockedReason } from '../../src/plan/guard.js';
import type { DesiredService } from '../../src/plan/wanted.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import type { InstanceHealth } from '../../src/health/thresholds.js';
import type { BackoffState } from '../../src/health/backoff.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';

const NOW = 1_000_000;

function service(name: string, versions: Array<[string, number, string?]>): DesiredService {
  return {
    name,
    stopGracePeriodMs: 10_000,
    versions: versions.map(([v, replicas, hash]) => ({
      name: v, template: { image: `img:${v}`, env: {}, command: null, port: 80, ...ADDED_DEFAULTS }, replicas, weight: 100, specHash: hash ?? `h-${v}`,
    })),
  };
}

let nextId = 0;
function container(svc: string, version: string, index: number, extra: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id: extra.id ?? `c${++nextId}`,
    name: `dsr-${svc}-${version}-${index}`,
    service: svc,
    version,
    index,
    specHash: `h-${version}`,
    state: 'running',
    createdAt: new Date(NOW - 60_000).toISOString(),
    exitCode: null,
    address: { host: '127.0.0.1', port: 30000 + index },
    image: `img:${version}`,
    ...extra,
  };
}

function input(over: Partial<PlanInput>): PlanInput {
  return { services: [], frozen: new Set(), observed: [], health: new Map(), backoff: new Map(), prune: true, now: NOW, ...over };
}

/** Renders a plan as short strings so the tables read like the plans users see. */
function summary(p: ReturnType<typeof plan>): string[] {
  return p.actions.map((a) => (a.type === 'create' ? `create ${a.service}/${a.version}#${a.instance.index}${a.replacement ? ' (replacement)' : ''}` : `remove ${a.name}${a.failure ? ' (failure)' : ''}`));
}

function healthy(...cs: ObservedContainer[]): Map<string, InstanceHealth> {
  return new Map(cs.map((c) => [c.id, 'healthy' as InstanceHealth]));
}

describe('plan', () => {
  const web1 = container('web', 'v1', 1);
  const web2 = container('web', 'v1', 2);
  const web3 = container('web', 'v1', 3);
  const cases: Array<{ name: string; input: PlanInput; expected: string[]; waiting?: number }> = [
    {
      name: 'cold start creates every replica of every service',
      input: input({ services: [service('web', [['v1', 2]]), service('api', [['v1', 1]])] }),
      expected: ['create web/v1#1', 'create web/v1#2', 'create api/v1#1'],
    },
    {
      name: 'nothing to do when the world matches',
      input: input({ services: [service('web', [['v1', 2]])], observed: [web1, web2], health: healthy(web1, web2) }),
      expected: [],
    },
    {
      name: 'scale up fills the lowest free indexes',
      input: input({ services: [service('web', [['v1', 5]])], observed: [web1, web3], health: healthy(web1, web3) }),
      expected: ['create web/v1#2', 'create web/v1#4', 'create web/v1#5'],
    },
    {
      name: 'scale down removes the highest indexes first',
      input: input({ services: [service('web', [['v1', 1]])], observed: [web1, web2, web3], health: healthy(web1, web2, web3) }),
      expected: ['remove dsr-web-v1-3', 'remove dsr-web-v1-2'],
    },
    {
      name: 'scale down removes instances that are not yet healthy before healthy ones',
      input: input({ services: [service('web', [['v1', 2]])], observed: [web1, web2, web3], health: healthy(web2, web3) }),
      expected: ['remove dsr-web-v1-1'],
    },
    {
      name: 'a container removed behind DSR\'s back is recreated',
      input: input({ services: [service('web', [['v1', 2]])], observed: [web2], health: healthy(web2) }),
      expected: ['create web/v1#1'],
    },
    {
      name: 'an exited container is removed as a failure and replaced',
      input: input({
        services: [service('web', [['v1', 2]])],
        observed: [web1, container('web', 'v1', 2, { state: 'exited', exitCode: 137, address: null })],
        health: healthy(web1),
      }),
      expected: ['remove dsr-web-v1-2 (failure)', 'create web/v1#2 (replacement)'],
    },
    {
      name: 'an instance a drain stopped before a restart (exited, others enough) is removed without counting as a failure',
      input: input({
        services: [service('web', [['v1', 1]])],
        observed: [web1, container('web', 'v1', 2, { state: 'exited', exitCode: 0, address: null }), container('web', 'v1', 3, { state: 'exited', exitCode: 143, address: null })],
        health: healthy(web1),
      }),
      expected: ['remove dsr-web-v1-2', 'remove dsr-web-v1-3'],
    },
    {
      name: 'an exited instance of an outdated spec is removed, not counted as a failure',
      input: input({
        services: [service('web', [['v1', 1, 'h-new']])],
        observed: [container('web', 'v1', 1, { state: 'exited', exitCode: 1, address: null })],
      }),
      expected: ['remove dsr-web-v1-1', 'create web/v1#1'],
    },
    {
      name: 'an unhealthy instance is removed as a failure and replaced',
      input: input({
        services: [service('web', [['v1', 2]])],
        observed: [web1, web2],
        health: new Map<string, InstanceHealth>([[web1.id, 'healthy'], [web2.id, 'unhealthy']]),
      }),
      expected: ['remove dsr-web-v1-2 (failure)', 'create web/v1#2 (replacement)'],
    },
    {
      name: 'an instance still starting is left alone',
      input: input({ services: [service('web', [['v1', 2]])], observed: [web1, web2], health: healthy(web1) }),
      expected: [],
    },
    {
      name: 'a container of an unknown version is removed',
      input: input({ services: [service('web', [['v1', 1]])], observed: [web1, container('web', 'v9', 1)], health: healthy(web1) }),
      expected: ['remove dsr-web-v9-1'],
    },
    {
      name: 'a changed spec hash starts new instances and keeps the old ones serving',
      input: input({ services: [service('web', [['v1', 2, 'h-new']])], observed: [web1, web2], health: healthy(web1, web2) }),
      expected: ['create web/v1#3', 'create web/v1#4'],
    },
    {
      name: 'old-spec instances are removed once the new ones are healthy',
      input: (() => {
        const n3 = container('web', 'v1', 3, { specHash: 'h-new' });
        const n4 = container('web', 'v1', 4, { specHash: 'h-new' });
        return input({ services: [service('web', [['v1', 2, 'h-new']])], observed: [web1, web2, n3, n4], health: healthy(web1, web2, n3, n4) });
      })(),
      expected: ['remove dsr-web-v1-1', 'remove dsr-web-v1-2'],
    },
    {
      name: 'a service deleted from the manifests is pruned',
      input: input({ services: [service('web', [['v1', 1]])], observed: [web1, container('old', 'v1', 1)], health: healthy(web1) }),
      expected: ['remove dsr-old-v1-1'],
    },
    {
      name: 'nothing is pruned when pruning is blocked',
      input: input({ services: [], observed: [web1, web2], prune: false }),
      expected: [],
    },
    {
      name: 'a frozen service (broken manifest, no valid state) is left exactly as it is',
      input: input({ services: [], frozen: new Set(['web']), observed: [web1, container('web', 'v1', 2, { state: 'exited', exitCode: 1 })] }),
      expected: [],
    },
    {
      name: 'replacement waits while the version is backed off',
      input: input({
        services: [service('web', [['v1', 1]])],
        observed: [container('web', 'v1', 1, { state: 'exited', exitCode: 1 })],
        backoff: new Map<string, BackoffState>([['web/v1', { failures: 3, lastFailureAt: NOW - 1000, nextAttemptAt: NOW + 39_000 }]]),
      }),
      expected: ['remove dsr-web-v1-1 (failure)'],
      waiting: 1,
    },
    {
      name: 'the first failure is replaced at once',
      input: input({
        services: [service('web', [['v1', 1]])],
        observed: [container('web', 'v1', 1, { state: 'exited', exitCode: 1 })],
      }),
      expected: ['remove dsr-web-v1-1 (failure)', 'create web/v1#1 (replacement)'],
    },
    {
      name: 'a second failure in a row waits 10 s before the replacement',
      input: input({
        services: [service('web', [['v1', 1]])],
        observed: [container('web', 'v1', 1, { state: 'exited', exitCode: 1, createdAt: new Date(NOW - 1500).toISOString() })],
        backoff: new Map<string, BackoffState>([['web/v1', { failures: 1, lastFailureAt: NOW - 2000, nextAttemptAt: NOW - 2000 }]]),
      }),
      expected: ['remove dsr-web-v1-1 (failure)'],
      waiting: 1,
    },
    {
      name: 'instances that were running before the last failure are the same incident: replaced at once',
      input: input({
        services: [service('web', [['v1', 2]])],
        observed: [container('web', 'v1', 2, { state: 'exited', exitCode: 143, createdAt: new Date(NOW - 600_000).toISOString() })],
        backoff: new Map<string, BackoffState>([['web/v1', { failures: 1, lastFailureAt: NOW - 1000, nextAttemptAt: NOW - 1000 }]]),
      }),
      expected: ['remove dsr-web-v1-2 (failure)', 'create web/v1#1 (replacement)', 'create web/v1#2 (replacement)'],
    },
    {
      name: 'replacement goes ahead once the back-off expired',
      input: input({
        services: [service('web', [['v1', 1]])],
        backoff: new Map<string, BackoffState>([['web/v1', { failures: 3, lastFailureAt: NOW - 41_000, nextAttemptAt: NOW - 1000 }]]),
      }),
      expected: ['create web/v1#1 (replacement)'],
    },
    {
      name: 'zero replicas removes every instance of the version',
      input: input({ services: [service('web', [['v1', 0]])], observed: [web1, web2], health: healthy(web1, web2) }),
      expected: ['remove dsr-web-v1-2', 'remove dsr-web-v1-1'],
    },
    {
      name: 'several services at once are planned independently',
      input: input({
        services: [service('web', [['v1', 1]]), service('api', [['v1', 2], ['v2', 1]])],
        observed: [web1, web2, container('api', 'v1', 1)],
        health: healthy(web1, web2),
      }),
      expected: ['remove dsr-web-v1-2', 'create api/v1#2', 'create api/v2#1'],
    },
    {
      name: 'a container being removed is ignored and not counted',
      input: input({ services: [service('web', [['v1', 1]])], observed: [container('web', 'v1', 1, { state: 'removing' })] }),
      expected: ['create web/v1#2'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = plan(c.input);
      assert.deepEqual(summary(result), c.expected);
      assert.equal(result.waiting.length, c.waiting ?? 0);
    });
  }

  it('is idempotent: planning twice on the same world gives the same plan', () => {
    const world = input({ services: [service('web', [['v1', 3]])], observed: [web1], health: healthy(web1) });
    assert.deepEqual(plan(world), plan(world));
  });

  it('gives every action a reason', () => {
    const result = plan(input({ services: [service('web', [['v1', 2]])], observed: [container('x', 'v1', 1)] }));
    for (const a of result.actions) assert.ok(a.reason.length > 5, a.reason);
  });
});

describe('plan: how each removal drains', () => {
  const svc = (g: number): DesiredService => ({ ...service('web', [['v1', 1]]), stopGracePeriodMs: g });
  const cases: Array<{ name: string; world: PlanInput; expected: Array<[string, number | null]> }> = [
    {
      name: 'a scale-down drains the surplus instance with the service\'s grace period',
      world: input({ services: [svc(30_000)], observed: [container('web', 'v1', 1, { id: 'a' }), container('web', 'v1', 2, { id: 'b' })], health: new Map([['a', 'healthy'], ['b', 'healthy']]) }),
      expected: [['dsr-web-v1-2', 30_000]],
    },
    {
      name: 'a version that left the split drains with the service\'s grace period',
      world: input({ services: [svc(5_000)], observed: [container('web', 'v1', 1, { id: 'a' }), container('web', 'v2', 1, { id: 'b' })], health: new Map([['a', 'healthy']]) }),
      expected: [['dsr-web-v2-1', 5_000]],
    },
    {
      name: 'an unhealthy instance still gets SIGTERM and its grace period',
      world: input({ services: [svc(10_000)], observed: [container('web', 'v1', 1, { id: 'a' })], health: new Map([['a', 'unhealthy']]) }),
      expected: [['dsr-web-v1-1', 10_000]],
    },
    {
      name: 'an exited container has nothing to drain: removed at once',
      world: input({ services: [svc(10_000)], observed: [container('web', 'v1', 1, { id: 'a', state: 'exited', exitCode: 1 })] }),
      expected: [['dsr-web-v1-1', null]],
    },
    {
      name: 'a pruned service drains with its last known grace period',
      world: input({ services: [], observed: [container('old', 'v1', 1)], pruneGracePeriodMs: 2_000 }),
      expected: [['dsr-old-v1-1', 2_000]],
    },
    {
      name: 'a pruned service without a known grace period gets the default 10 s',
      world: input({ services: [], observed: [container('old', 'v1', 1)] }),
      expected: [['dsr-old-v1-1', 10_000]],
    },
    {
      name: 'a container Docker is already removing is not removed twice',
      world: input({ services: [svc(10_000)], observed: [container('web', 'v1', 1, { id: 'a' }), container('web', 'v9', 1, { state: 'removing' }), container('gone', 'v1', 1, { state: 'removing' })], health: new Map([['a', 'healthy']]) }),
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const removals = plan(c.world).actions.flatMap((a) => (a.type === 'remove' ? [[a.name, a.gracePeriodMs] as [string, number | null]] : []));
      assert.deepEqual(removals, c.expected);
    });
  }
});

describe('prune guard', () => {
  const base = { declared: 1, unnamedFailures: 0, running: new Set(['web', 'old']), known: new Set(['web']), allowEmpty: false };
  const cases: Array<{ name: string; over: Partial<typeof base>; blocked: boolean; mentions?: string }> = [
    { name: 'allows pruning a service whose manifest was deleted', over: {}, blocked: false },
    { name: 'blocks when the folder declares nothing but services run', over: { declared: 0, known: new Set() }, blocked: true, mentions: '--allow-empty' },
    { name: '--allow-empty lets an empty folder prune everything', over: { declared: 0, known: new Set(), allowEmpty: true }, blocked: false },
    { name: 'blocks when a broken file might still declare the service', over: { unnamedFailures: 1 }, blocked: true, mentions: 'could not be read' },
    { name: 'nothing to guard when no orphan runs', over: { declared: 0, known: new Set(), running: new Set() }, blocked: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const reason = pruneBlockedReason({ ...base, ...c.over });
      assert.equal(reason !== null, c.blocked, String(reason));
      if (c.mentions) assert.match(reason!, new RegExp(c.mentions.replace(/[-]/g, '\\-')));
    });
  }
});

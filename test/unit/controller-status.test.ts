import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceStatus, type StatusInput } from '../../src/controller/status.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import type { InstanceHealth } from '../../src/health/thresholds.js';
import type { DesiredService } from '../../src/plan/wanted.js';
import type { RolloutState, TrackedVersion } from '../../src/rollout/types.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';

const desired: DesiredService = {
  name: 'web', stopGracePeriodMs: 10_000,
  versions: [{ name: 'v1', template: { image: 'img:v1', env: {}, command: null, port: 80, ...ADDED_DEFAULTS }, replicas: 2, weight: 100, specHash: 'h1' }],
};
const container = (id: string, index: number, over: Partial<ObservedContainer> = {}): ObservedContainer => ({
  id, name: `dsr-web-v1-${index}`, service: 'web', version: 'v1', index, specHash: 'h1', state: 'running',
  createdAt: '2026-01-01T00:00:00Z', exitCode: null, address: { host: '127.0.0.1', port: 30000 + index }, image: 'img:v1', ...over,
});
const tracked = (id: string): TrackedVersion => ({ id, name: id, specHash: `h-${id}`, spec: { name: id, image: `img:${id}`, replicas: 2, weight: 100, env: {}, command: null }, template: { image: `img:${id}`, env: {}, command: null, port: 80, ...ADDED_DEFAULTS } });

function input(over: Partial<StatusInput>, healthy: Record<string, InstanceHealth> = { a: 'healthy', b: 'healthy' }): StatusInput {
  return {
    name: 'web', spec: null, desired, revision: 'r2', appliedRevision: 'r2',
    containers: [container('a', 1), container('b', 2)],
    health: (id) => (healthy[id] ? { health: healthy[id]!, lastError: null } : undefined),
    invalid: undefined, issue: null, backoff: null, dockerAvailable: true, rollout: null,
    ...over,
  };
}

describe('serviceStatus', () => {
  const rolling = (phase: 'Progressing' | 'Paused' | 'Aborted'): RolloutState => ({
    stable: tracked('v1'),
    rollout: {
      phase, revision: 'r2', canary: tracked('v2'), stepIndex: 1, weight: 20, startedAt: 0, stepStartedAt: 0, pausedByUser: false,
      analysis: { lastCheckAt: 0, failures: 1, history: [] }, abortReason: phase === 'Aborted' ? 'error rate 50% > 5%' : null, promotedStep: null,
    },
  });
  const cases: Array<{ name: string; input: StatusInput; phase: string; message: RegExp; synced?: boolean }> = [
    { name: 'Healthy when every replica is healthy and nothing extra runs', input: input({}), phase: 'Healthy', message: /2 instance/, synced: true },
    { name: 'Progressing while an instance is still starting', input: input({}, { a: 'healthy' }), phase: 'Progressing', message: /1 of 2/, synced: false },
    {
      name: 'Progressing while a removed instance drains, saying so',
      input: input({ containers: [container('a', 1), container('b', 2), container('c', 3)], draining: (id) => id === 'c' }),
      phase: 'Progressing', message: /2 of 2 instance\(s\) healthy; draining 1 being removed/, synced: false,
    },
    { name: 'not synced when the applied revision is older', input: input({ appliedRevision: 'r1' }), phase: 'Healthy', message: /healthy/, synced: false },
    { name: 'Invalid wins over everything, and says the last valid state runs', input: input({ invalid: { file: 'web.yaml', errors: [{ file: 'web.yaml', line: 3, column: 1, path: 'spec', message: 'bad' }], kept: true } }), phase: 'Invalid', message: /web\.yaml is invalid \(bad\); running its last valid state/ },
    { name: 'Degraded when Docker is unavailable', input: input({ dockerAvailable: false }), phase: 'Degraded', message: /docker unavailable/ },
    { name: 'Degraded with the pull failure', input: input({ issue: 'image img:v1 could not be pulled: not found' }), phase: 'Degraded', message: /could not be pulled/ },
    { name: 'Degraded while replacement is backed off', input: input({ backoff: 'back-off: 3 replacements failed, next attempt in 40s' }), phase: 'Degraded', message: /next attempt in 40s/ },
    { name: 'Progressing during a rollout, with its summary', input: input({ rollout: { state: rolling('Progressing'), summary: 'step 2/7: pause 30s', steps: 7 } }), phase: 'Progressing', message: /step 2\/7/ },
    { name: 'Paused at a manual gate', input: input({ rollout: { state: rolling('Paused'), summary: 'waiting for `dsr promote web`', steps: 7 } }), phase: 'Paused', message: /dsr promote/ },
    { name: 'Degraded after an abort, naming the reason and the way out', input: input({ rollout: { state: rolling('Aborted'), summary: null, steps: 7 } }), phase: 'Degraded', message: /aborted: error rate 50% > 5%.*dsr retry web/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = serviceStatus(c.input);
      assert.equal(s.phase, c.phase);
      assert.match(s.message, c.message);
      if (c.synced !== undefined) assert.equal(s.synced, c.synced);
    });
  }

  it('marks the draining instance, and only it', () => {
    const s = serviceStatus(input({ containers: [container('a', 1), container('b', 2), container('c', 3)], draining: (id) => id === 'c' }));
    assert.deepEqual(s.instances.map((i) => [i.name, i.draining]), [['dsr-web-v1-1', false], ['dsr-web-v1-2', false], ['dsr-web-v1-3', true]]);
  });

  it('reports the rollout step 1-based, with the canary weight and failures', () => {
    const s = serviceStatus(input({ rollout: { state: rolling('Progressing'), summary: 'x', steps: 7 } }));
    assert.deepEqual({ step: s.rollout?.step, weight: s.rollout?.weight, canary: s.rollout?.canary, failures: s.rollout?.failures, stable: s.stable }, { step: 2, weight: 20, canary: 'v2', failures: 1, stable: 'v1' });
  });
});

describe('serviceStatus of a worker (SPEC §8)', () => {
  it('says worker when the service has no port, and not otherwise', () => {
    assert.equal(serviceStatus(input({})).worker, false);
    const worker = { ...desired, versions: desired.versions.map((v) => ({ ...v, template: { ...v.template, port: null } })) };
    assert.equal(serviceStatus(input({ desired: worker })).worker, true);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import { emptyRolloutState, isRolloutState } from '../../src/rollout/state.js';
import { stepRollout } from '../../src/rollout/machine.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_ROLLOUT_STEPS } from '../../src/manifest/defaults.js';
import type { ServiceSpec, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutState } from '../../src/rollout/types.js';

function service(v: VersionSpec): ServiceSpec {
  return {
    name: 'web', port: 80, health: { ...DEFAULT_HEALTH }, ...STACK_FIELDS_ABSENT, versions: [v],
    rollout: { steps: [...DEFAULT_ROLLOUT_STEPS], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 120_000 },
    gateway: { ...DEFAULT_GATEWAY }, stopGracePeriodMs: 10_000, source: { file: 'web.yaml', line: 1, column: 1 },
  };
}

function step(v: VersionSpec, state: RolloutState): RolloutState {
  const r = stepRollout({
    service: service(v), revision: 'r1', state, ready: () => 0,
    sample: () => ({ requests: 0, errors: 0, latencyP99Ms: null }), inFlight: () => 0, command: null, now: 1_000,
  });
  return JSON.parse(JSON.stringify(r.state)) as RolloutState;
}

const V1: VersionSpec = { name: 'v1', image: 'app:1', replicas: 1, weight: 100, env: {}, command: null };
const V2: VersionSpec = { ...V1, name: 'v2', image: 'app:2' };

describe('isRolloutState', () => {
  const steady = step(V1, emptyRolloutState());
  const rolling = step(V2, steady);
  const cases: Array<{ name: string; value: unknown; expected: boolean }> = [
    { name: 'a fresh state', value: emptyRolloutState(), expected: true },
    { name: 'a steady state read back from JSON', value: steady, expected: true },
    { name: 'a rollout in progress read back from JSON', value: rolling, expected: true },
    { name: 'null (a service the store knows nothing about)', value: null, expected: false },
    { name: 'a rollout without a stable', value: { ...rolling, stable: null }, expected: false },
    { name: 'an unknown phase', value: { ...rolling, rollout: { ...rolling.rollout, phase: 'Running' } }, expected: false },
    { name: 'a canary without a spec', value: { ...rolling, rollout: { ...rolling.rollout, canary: { id: 'v2', name: 'v2', specHash: 'x' } } }, expected: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isRolloutState(c.value), c.expected));
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import { readFileSync } from 'node:fs';
import { emptyRolloutState, isRolloutState, rolloutStateFrom } from '../../src/rollout/state.js';
import { loadManifests } from '../../src/manifest/load.js';
import { specHash } from '../../src/template/spec-hash.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';
import type { DsrState } from '../../src/store/state.js';
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

describe('rolloutStateFrom', () => {
  // The state.json release a9bff66 wrote (test/fixtures/previous-release/), whose tracked versions
  // have no template, read with the manifests it ran.
  const fixtures = new URL('../fixtures/previous-release/', import.meta.url);
  const saved = (JSON.parse(readFileSync(new URL('state.json', fixtures), 'utf8')) as DsrState).services;
  const specOf = (name: string): ServiceSpec => {
    const file = `${name}.yaml`;
    const loaded = loadManifests([{ path: file, content: readFileSync(new URL(`manifests/${file}`, fixtures)) }]);
    assert.deepEqual(loaded.errors, []);
    return loaded.services[0]!;
  };

  it("gives a previous release's stable and canary the templates it ran them with, hashing as it did", () => {
    const spec = specOf('canary');
    const state = rolloutStateFrom(saved.canary!.rollout, spec);
    assert.deepEqual(state.stable!.template, { image: 'dsr-example:v1', env: {}, command: null, port: 8080, ...ADDED_DEFAULTS });
    assert.deepEqual(state.rollout!.canary.template, { image: 'dsr-example:v2', env: {}, command: null, port: 8080, ...ADDED_DEFAULTS });
    assert.equal(specHash(state.stable!.template), state.stable!.specHash);
    assert.equal(specHash(state.rollout!.canary.template), state.rollout!.canary.specHash);
  });

  it("keeps the env and command of a previous release's stable in its template", () => {
    const state = rolloutStateFrom(saved.api!.rollout, specOf('api'));
    assert.deepEqual(state.stable!.template.env, { GREETING: 'hello from the previous release', WORKERS: '4' });
    assert.deepEqual(state.stable!.template.command, ['node', 'server.js']);
    assert.equal(specHash(state.stable!.template), state.stable!.specHash);
  });

  it('keeps the template a state saved now carries, even once the manifest moved on', () => {
    const rolling = step(V2, step(V1, emptyRolloutState()));
    const read = rolloutStateFrom(rolling, service({ ...V1, image: 'app:3' }));
    assert.equal(read.stable!.template.image, 'app:1');
    assert.equal(read.rollout!.canary.template.image, 'app:2');
  });

  it('is empty for a value that is not a rollout state', () =>
    assert.deepEqual(rolloutStateFrom({ stable: 'v1' }, service(V1)), emptyRolloutState()));

  it('gives a template saved before volumes, resources and labels existed their defaults, hash unchanged', () => {
    const rolling = JSON.parse(JSON.stringify(step(V2, step(V1, emptyRolloutState())))) as { stable: { template: Record<string, unknown>; specHash: string } };
    for (const key of ['volumes', 'resources', 'labels']) delete rolling.stable.template[key];
    const read = rolloutStateFrom(rolling, service(V1));
    assert.deepEqual(read.stable!.template, { image: 'app:1', env: {}, command: null, port: 80, ...ADDED_DEFAULTS });
    assert.equal(specHash(read.stable!.template), rolling.stable.specHash);
  });
});

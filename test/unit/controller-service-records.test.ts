// The typed wrapper of per-service records over the state store: what it reads back, what it
// writes, and that it writes only when something changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DEFAULT_STATE, type DsrState } from '../../src/store/state.js';
import { ServiceRecords } from '../../src/controller/service-records.js';
import { emptyRolloutState } from '../../src/rollout/state.js';
import type { ServiceSpec, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutState } from '../../src/rollout/types.js';
import type { HistoryEntry, Pin } from '../../src/controller/history.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH } from '../../src/manifest/defaults.js';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';

/** A whole spec: the records store it as is, and read specs of an older DSR back in today's shape. */
function spec(name: string, image = 'web:v1'): ServiceSpec {
  return {
    name, port: 80, ...STACK_FIELDS_ABSENT, health: { ...DEFAULT_HEALTH }, versions: [{ name: 'v1', image, replicas: 1, weight: 100, env: {}, command: null }],
    rollout: { steps: [], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 1000 }, gateway: { ...DEFAULT_GATEWAY }, stopGracePeriodMs: 1000,
    source: { file: `${name}.yaml`, line: 1, column: 1 },
  };
}

function fresh(): { store: MemoryStore<DsrState>; records: ServiceRecords } {
  const store = new MemoryStore<DsrState>(DEFAULT_STATE);
  return { store, records: new ServiceRecords(store) };
}

describe('ServiceRecords', () => {
  it('knows nothing of a service never stored', () => {
    const { records } = fresh();
    assert.equal(records.has('web'), false);
    assert.equal(records.lastValidSpec('web'), null);
    assert.equal(records.appliedRevision('web'), null);
    assert.deepEqual(records.history('web'), []);
    assert.equal(records.pin('web'), null);
    assert.deepEqual(records.rollout(spec('web')), emptyRolloutState());
  });

  it('saves last valid specs, writing only those that changed', async () => {
    const { store, records } = fresh();
    await records.saveLastValid([spec('web'), spec('api')]);
    assert.equal(store.writes, 1);
    await records.saveLastValid([spec('web'), spec('api')]);
    assert.equal(store.writes, 1, 'an identical load writes nothing');
    await records.saveLastValid([spec('web', 'web:v2')]);
    assert.equal(store.writes, 2);
    assert.deepEqual([...records.lastValidSpecs().keys()], ['web', 'api']);
    assert.equal(records.lastValidSpec('web')?.versions[0]?.image, 'web:v2');
    assert.deepEqual(store.read().services.api, { appliedRevision: null, appliedAt: null, rollout: null, spec: spec('api') });
  });

  it('saves a rollout state only when it differs, and hands back a copy', async () => {
    const { store, records } = fresh();
    const state: RolloutState = {
      stable: { id: 'v1', name: 'v1', specHash: 'h1', spec: { name: 'v1', image: 'web:v1', replicas: 1 } as VersionSpec, template: { image: 'web:v1', env: {}, command: null, port: 80, ...ADDED_DEFAULTS } },
      rollout: null,
    };
    await records.saveRollout('web', state);
    await records.saveRollout('web', state);
    assert.equal(store.writes, 1);
    const read = records.rollout(spec('web'));
    assert.deepEqual(read, state);
    assert.notEqual(read, state);
    // A rollout recorded before any spec was saved creates a record without a `spec` key.
    assert.deepEqual(Object.keys(store.read().services.web!).sort(), ['appliedAt', 'appliedRevision', 'rollout']);
  });

  it('records an applied revision with its history', async () => {
    const { records } = fresh();
    const entry: HistoryEntry = { revision: 'abc1234', at: '2026-12-02T00:00:00.000Z', versions: ['v1=web:v1'], result: 'rolled out', spec: spec('web') };
    await records.saveApplied('web', 'abc1234', '2026-12-02T00:00:01.000Z', [entry]);
    assert.equal(records.appliedRevision('web'), 'abc1234');
    assert.deepEqual(records.history('web'), [entry]);
  });

  it('pins, lists pins and unpins', async () => {
    const { records } = fresh();
    const pin: Pin = { revision: 'abc1234', at: '2026-12-02T00:00:00.000Z', spec: spec('web'), manifest: spec('web', 'web:v2') };
    await records.savePin('web', pin);
    await records.saveLastValid([spec('api')]);
    assert.deepEqual(records.pin('web'), pin);
    assert.deepEqual(records.pins(), [['web', pin]]);
    await records.dropPin('web');
    assert.equal(records.pin('web'), null);
    assert.deepEqual(records.pins(), []);
    assert.equal(records.has('web'), true, 'unpinning keeps the rest of the record');
  });

  it('forgets a service removed for good', async () => {
    const { records } = fresh();
    await records.saveLastValid([spec('web')]);
    await records.forget('web');
    assert.equal(records.has('web'), false);
    assert.equal(records.lastValidSpec('web'), null);
  });
});

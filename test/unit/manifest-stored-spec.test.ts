// A spec saved by the previous release (last valid spec, history, pins in state.json) reads back
// exactly as the same manifest loads today, so an upgrade changes nothing and ends no pin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifest/load.js';
import { upgradeStoredSpec } from '../../src/manifest/stored-spec.js';

const MANIFEST = ['apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: web }', 'spec:', '  port: 8080', '  health: { path: /ready }', '  versions: [{ name: v1, image: web:v1 }]', ''].join('\n');

/** What the previous release stored for MANIFEST: health.path, none of the §8 fields. */
function legacy(): Record<string, unknown> {
  const spec = JSON.parse(JSON.stringify(loadManifests([{ path: 'web.yaml', content: Buffer.from(MANIFEST) }]).services[0]));
  const { probe, ...timing } = spec.health;
  for (const key of ['strategy', 'volumes', 'resources', 'secrets', 'dependsOn', 'labels']) delete spec[key];
  return { ...spec, health: { path: probe.path, ...timing } };
}

describe('upgradeStoredSpec', () => {
  const today = loadManifests([{ path: 'web.yaml', content: Buffer.from(MANIFEST) }]).services[0]!;
  it('reads a spec of the previous release as the same manifest loads today, key order included', () => {
    const upgraded = upgradeStoredSpec(legacy());
    assert.deepEqual(upgraded, today);
    assert.equal(JSON.stringify(upgraded), JSON.stringify(today));
  });
  it('leaves a spec of this release as it is', () => {
    assert.equal(JSON.stringify(upgradeStoredSpec(JSON.parse(JSON.stringify(today)))), JSON.stringify(today));
  });
  it('gives a stored spec without a port the worker defaults', () => {
    const s = upgradeStoredSpec({ name: 'db', health: { intervalMs: 1 } });
    assert.deepEqual([s.port, s.strategy, s.health.probe], [null, 'Rolling', { kind: 'running' }]);
  });
});

// The schema is the single source of truth: the generated types must match it, its documented
// defaults must be the ones the loader applies, and every property must carry a description
// (the README's manifest reference is generated from them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { GENERATED_TYPES_PATH, generateManifestTypes } from '../../scripts/gen-types.js';
import { serviceSchema } from '../../src/manifest/schema.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_PROGRESS_DEADLINE_MS, DEFAULT_REPLICAS, DEFAULT_ROLLOUT_STEPS, DEFAULT_STOP_GRACE_PERIOD_MS } from '../../src/manifest/defaults.js';
import { loadManifests } from '../../src/manifest/load.js';
import { durationMs } from '../../src/manifest/duration.js';

type Node = Record<string, unknown>;
const defs = serviceSchema['$defs'] as Record<string, Node>;
const props = (def: string): Record<string, Node> => defs[def]!['properties'] as Record<string, Node>;
const schemaDefault = (def: string, field: string): unknown => props(def)[field]!['default'];

/** Every object schema in the tree, with where it sits. */
function objects(node: unknown, where: string, out: Array<[string, Node]> = []): Array<[string, Node]> {
  if (typeof node !== 'object' || node === null) return out;
  const n = node as Node;
  if (n['type'] === 'object' || (Array.isArray(n['type']) && n['type'].includes('object'))) out.push([where, n]);
  for (const [k, v] of Object.entries(n)) if (k !== 'default') objects(v, `${where}/${k}`, out);
  return out;
}

describe('schemas/service.schema.json', () => {
  it('matches the generated types in src/manifest/manifest.gen.ts (run npm run gen:types)', async () => {
    const committed = await readFile(GENERATED_TYPES_PATH, 'utf8');
    assert.ok(committed === (await generateManifestTypes()), 'src/manifest/manifest.gen.ts is stale: run npm run gen:types');
  });

  it('forbids unknown fields in every object', () => {
    for (const [where, o] of objects(serviceSchema, '#')) {
      // Maps of variables and labels: their names are checked by propertyNames.
      if (where.endsWith('/env') || where.endsWith('/labels')) continue;
      assert.equal(o['additionalProperties'], false, `${where} allows unknown fields`);
    }
  });

  it('describes every property', () => {
    for (const [where, o] of objects(serviceSchema, '#')) {
      for (const [name, p] of Object.entries((o['properties'] ?? {}) as Record<string, Node>)) {
        assert.ok(typeof p['description'] === 'string' && p['description'].length > 10, `${where}/properties/${name} has no description`);
      }
    }
  });

  it('documents the defaults the loader applies', () => {
    const ms = (v: unknown): number => durationMs(String(v));
    assert.deepEqual(
      { probe: { kind: 'http', path: schemaDefault('health', 'path') }, intervalMs: ms(schemaDefault('health', 'interval')), timeoutMs: ms(schemaDefault('health', 'timeout')), failureThreshold: schemaDefault('health', 'failureThreshold'), successThreshold: schemaDefault('health', 'successThreshold'), startPeriodMs: ms(schemaDefault('health', 'startPeriod')) },
      { ...DEFAULT_HEALTH },
    );
    assert.deepEqual(
      { intervalMs: ms(schemaDefault('analysis', 'interval')), minRequests: schemaDefault('analysis', 'minRequests'), maxErrorRate: schemaDefault('analysis', 'maxErrorRate'), maxLatencyP99Ms: ms(schemaDefault('analysis', 'maxLatencyP99')), failureLimit: schemaDefault('analysis', 'failureLimit'), compareToStable: schemaDefault('analysis', 'compareToStable'), inconclusiveDeadlineMs: schemaDefault('analysis', 'inconclusiveDeadline') ?? null },
      { ...DEFAULT_ANALYSIS },
    );
    const steps = (schemaDefault('rollout', 'steps') as Array<{ setWeight?: number; pause?: string }>).map((s) =>
      s.setWeight !== undefined ? { kind: 'setWeight', weight: s.setWeight } : { kind: 'pause', durationMs: ms(s.pause) },
    );
    assert.deepEqual(steps, [...DEFAULT_ROLLOUT_STEPS]);
    assert.equal(ms(schemaDefault('rollout', 'progressDeadline')), DEFAULT_PROGRESS_DEADLINE_MS);
    assert.equal(schemaDefault('version', 'replicas'), DEFAULT_REPLICAS);
    assert.equal(schemaDefault('gateway', 'sticky'), DEFAULT_GATEWAY.sticky);
    assert.equal(schemaDefault('gateway', 'upstreamKeepAlive'), DEFAULT_GATEWAY.upstreamKeepAlive);
    assert.equal(ms(schemaDefault('spec', 'stopGracePeriod')), DEFAULT_STOP_GRACE_PERIOD_MS);
  });

  it('has no field for privileged mode, host network, raw mounts, capabilities or devices', () => {
    // Volumes exist since SPEC §8, but only as DSR-named volumes and host paths under DSR_HOST_PATHS.
    const names = objects(serviceSchema, '#').flatMap(([, o]) => Object.keys((o['properties'] ?? {}) as Node)).map((k) => k.toLowerCase());
    for (const forbidden of ['privileged', 'hostnetwork', 'networkmode', 'mounts', 'binds', 'capadd', 'capabilities', 'devices']) {
      assert.ok(!names.includes(forbidden), forbidden);
    }
  });

  it('accepts the rollout from the SPEC example, pause {} included', () => {
    const text = [
      'apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: example }', 'spec:', '  port: 80',
      '  health: { path: /health, interval: 5s, timeout: 2s, failureThreshold: 3, successThreshold: 1, startPeriod: 10s }',
      '  versions:', '    - { name: v1, image: dsr-example:v1, replicas: 2, env: { GREETING: hello }, command: ["node", "server.js"] }',
      '  rollout:', '    steps: [ { setWeight: 10 }, { pause: 30s }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 } ]',
      '    analysis: { interval: 10s, minRequests: 20, maxErrorRate: 0.05, maxLatencyP99: 500ms, failureLimit: 2 }',
      '    progressDeadline: 120s',
    ].join('\n');
    assert.deepEqual(loadManifests([{ path: 'x.yaml', content: Buffer.from(text) }]).errors, []);
  });
});

// Good paths of loadManifests: what valid manifests turn into (defaults, durations, weights),
// several documents per file, and one bad file never stopping the others.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadManifests } from '../../src/manifest/load.js';
import { DEFAULT_ANALYSIS, DEFAULT_HEALTH, DEFAULT_ROLLOUT_STEPS } from '../../src/manifest/defaults.js';
import type { ServiceSpec } from '../../src/manifest/service-spec.js';

const y = (...lines: string[]): string => lines.join('\n') + '\n';
const file = (path: string, text: string): { path: string; content: Buffer } => ({ path, content: Buffer.from(text) });
const MINIMAL = y('apiVersion: dsr/v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  port: 8080', '  versions:', '    - name: v1', '      image: web:v1');

function only(text: string): ServiceSpec {
  const result = loadManifests([file('web.yaml', text)]);
  assert.deepEqual(result.errors, []);
  assert.equal(result.services.length, 1);
  return result.services[0]!;
}

describe('loadManifests turns valid manifests into desired state', () => {
  it('applies every default to a minimal manifest', () => {
    assert.deepEqual(only(MINIMAL), {
      name: 'web',
      port: 8080,
      strategy: 'Canary',
      health: { probe: { kind: 'http', path: '/health' }, intervalMs: 5000, timeoutMs: 2000, failureThreshold: 3, successThreshold: 1, startPeriodMs: 10000 },
      versions: [{ name: 'v1', image: 'web:v1', replicas: 1, weight: 100, env: {}, command: null }],
      rollout: {
        steps: [
          { kind: 'setWeight', weight: 10 },
          { kind: 'pause', durationMs: 30000 },
          { kind: 'setWeight', weight: 25 },
          { kind: 'pause', durationMs: 30000 },
          { kind: 'setWeight', weight: 50 },
          { kind: 'pause', durationMs: 30000 },
          { kind: 'setWeight', weight: 100 },
        ],
        analysis: { intervalMs: 10000, minRequests: 20, maxErrorRate: 0.05, maxLatencyP99Ms: 500, failureLimit: 2, compareToStable: false, inconclusiveDeadlineMs: null },
        progressDeadlineMs: 120000,
      },
      gateway: { sticky: false, upstreamKeepAlive: true },
      stopGracePeriodMs: 10000,
      volumes: [],
      resources: { memoryBytes: null, nanoCpus: null, pids: null },
      secrets: [],
      dependsOn: [],
      labels: {},
      source: { file: 'web.yaml', line: 1, column: 1 },
    });
  });

  it('fills the health fields left out and keeps the ones given', () => {
    const s = only(MINIMAL + y('  health:', '    path: /ready', '    timeout: 500ms'));
    assert.deepEqual(s.health, { ...DEFAULT_HEALTH, probe: { kind: 'http', path: '/ready' }, timeoutMs: 500 });
  });

  it('converts durations in ms, s, m and h, and pause {} to "until promoted"', () => {
    const s = only(
      MINIMAL +
        y(
          '  health: { interval: 1500ms, startPeriod: 0s }',
          '  rollout:',
          '    steps: [ { setWeight: 5 }, { pause: 2m }, { pause: {} }, { pause: 1h } ]',
          '    analysis: { interval: 30s, maxLatencyP99: 250ms, inconclusiveDeadline: 15m }',
          '    progressDeadline: 5m',
          '  stopGracePeriod: 45s',
        ),
    );
    assert.equal(s.health.intervalMs, 1500);
    assert.equal(s.health.startPeriodMs, 0);
    assert.deepEqual(s.rollout.steps, [
      { kind: 'setWeight', weight: 5 },
      { kind: 'pause', durationMs: 120_000 },
      { kind: 'pause', durationMs: null },
      { kind: 'pause', durationMs: 3_600_000 },
    ]);
    assert.deepEqual(s.rollout.analysis, { ...DEFAULT_ANALYSIS, intervalMs: 30_000, maxLatencyP99Ms: 250, inconclusiveDeadlineMs: 900_000 });
    assert.equal(s.rollout.progressDeadlineMs, 300_000);
    assert.equal(s.stopGracePeriodMs, 45_000);
  });

  it('takes an empty step list as "switch at once"', () => {
    assert.deepEqual(only(MINIMAL + y('  rollout: { steps: [] }')).rollout.steps, []);
  });

  it('gives a single version weight 100 whether it says 100 or nothing', () => {
    assert.equal(only(MINIMAL).versions[0]!.weight, 100);
    assert.equal(only(MINIMAL + y('      weight: 100')).versions[0]!.weight, 100);
  });

  it('keeps a static split of several versions as written', () => {
    const s = only(
      y('apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: web }', 'spec:', '  port: 80', '  versions:') +
        y('    - { name: v1, image: web:v1, replicas: 3, weight: 75 }', '    - { name: v2, image: web:v2, replicas: 0, weight: 25 }'),
    );
    assert.deepEqual(s.versions.map((v) => [v.name, v.replicas, v.weight]), [['v1', 3, 75], ['v2', 0, 25]]);
  });

  it('keeps env, command, replicas and sticky', () => {
    const s = only(MINIMAL + y('      replicas: 4', '      env: { GREETING: hello, WORKERS: "4" }', '      command: [node, server.js]', '  gateway: { sticky: true }'));
    assert.deepEqual(s.versions[0], { name: 'v1', image: 'web:v1', replicas: 4, weight: 100, env: { GREETING: 'hello', WORKERS: '4' }, command: ['node', 'server.js'] });
    assert.equal(s.gateway.sticky, true);
    assert.equal(s.gateway.upstreamKeepAlive, true);
  });

  it('reads spec.gateway.upstreamKeepAlive: false', () => {
    assert.equal(only(MINIMAL + y('  gateway: { upstreamKeepAlive: false }')).gateway.upstreamKeepAlive, false);
  });

  it('accepts anchors and aliases for shared values', () => {
    const text = y('apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: web }', 'spec:', '  port: 80', '  versions:') +
      y('    - { name: v1, image: web:v1, weight: 50, env: &env { MODE: prod } }', '    - { name: v2, image: web:v2, weight: 50, env: *env }');
    assert.deepEqual(only(text).versions.map((v) => v.env), [{ MODE: 'prod' }, { MODE: 'prod' }]);
  });

  it('reads a UTF-8 byte-order mark and CRLF line endings', () => {
    const s = only('\uFEFF' + MINIMAL.replace(/\n/g, '\r\n'));
    assert.equal(s.name, 'web');
  });
});

describe('loadManifests across documents and files', () => {
  it('loads several documents of one file, each with its own source line', () => {
    const api = MINIMAL.replace('name: web', 'name: api');
    const result = loadManifests([file('all.yaml', '---\n' + MINIMAL + '---\n' + api + '---\n')]);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.services.map((s) => [s.name, s.source]), [
      ['web', { file: 'all.yaml', line: 2, column: 1 }],
      ['api', { file: 'all.yaml', line: 12, column: 1 }],
    ]);
  });

  it('loads the good file when another file is bad, and reports only the bad one', () => {
    const bad = MINIMAL.replace('name: web', 'name: api').replace('port: 8080', 'port: 0');
    const result = loadManifests([file('api.yaml', bad), file('web.yaml', MINIMAL), file('empty.yml', '')]);
    assert.deepEqual(result.services.map((s) => s.name), ['web']);
    assert.deepEqual(result.errors.map((e) => `${e.file}:${e.line}`), ['api.yaml:6', 'empty.yml:0']);
    assert.deepEqual(result.failedFiles, [
      { file: 'api.yaml', serviceNames: ['api'] },
      { file: 'empty.yml', serviceNames: [] },
    ]);
    assert.equal(result.fileCount, 3);
  });

  it('loads nothing, without errors, from no files', () => {
    assert.deepEqual(loadManifests([]), { services: [], errors: [], failedFiles: [], fileCount: 0 });
  });

  it('loads the shipped example manifest as documented', async () => {
    const text = await readFile(new URL('../../manifests/example.yaml', import.meta.url));
    const result = loadManifests([{ path: 'example.yaml', content: text }]);
    assert.deepEqual(result.errors, []);
    const s = result.services[0]!;
    assert.deepEqual([s.name, s.port, s.health.probe], ['example', 8080, { kind: 'http', path: '/health' }]);
    assert.deepEqual(s.versions, [{ name: 'v1', image: 'dsr-example:v1', replicas: 2, weight: 100, env: {}, command: null }]);
    // The example shortens the default steps so the README's walkthrough takes a minute.
    assert.deepEqual(s.rollout.steps, [
      { kind: 'setWeight', weight: 20 }, { kind: 'pause', durationMs: 10_000 }, { kind: 'setWeight', weight: 50 },
      { kind: 'pause', durationMs: 10_000 }, { kind: 'setWeight', weight: 100 },
    ]);
    assert.equal(s.rollout.analysis.intervalMs, 5_000);
  });
});

// /metrics: the gauges derived from service status, the histogram copied from the gateway's
// totals, and the whole registry rendered and parsed back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceStatus } from '../../src/controller/status.js';
import type { SeriesTotals } from '../../src/gateway/metrics.js';
import { LATENCY_BOUNDS_MS } from '../../src/gateway/histogram.js';
import { instanceSamples, phaseSamples, rolloutSamples } from '../../src/metrics/service-metrics.js';
import { histogramValues } from '../../src/metrics/totals-histogram.js';
import { createDsrMetrics } from '../../src/metrics/registry.js';
import { parsePromText } from '../helpers/prom-text.js';

function service(overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name: 'web', worker: false, resources: null, phase: 'Healthy', message: '', revision: 'abc', appliedRevision: 'abc', synced: true,
    versions: [{ name: 'v1', image: 'img:v1', replicas: 2, weight: 100, ready: 2 }],
    instances: [
      { id: 'a', name: 'dsr-web-v1-1', version: 'v1', index: 1, state: 'running', health: 'healthy', address: null, createdAt: '', current: true, draining: false, lastError: null },
      { id: 'b', name: 'dsr-web-v1-2', version: 'v1', index: 2, state: 'running', health: 'starting', address: null, createdAt: '', current: true, draining: false, lastError: null },
    ],
    backoff: null, errors: [], source: null, stable: 'v1', rollout: null, blocked: [],
    ...overrides,
  };
}

const canary = service({
  phase: 'Paused',
  versions: [{ name: 'v1', image: 'img:v1', replicas: 2, weight: 80, ready: 2 }, { name: 'v2', image: 'img:v2', replicas: 2, weight: 20, ready: 1 }],
  rollout: { phase: 'Paused', stable: 'v1', canary: 'v2', step: 2, steps: 5, weight: 20, summary: null, abortReason: null, failures: 1, lastVerdict: null, startedAt: '' },
});

function totals(service: string, version: string, latenciesMs: number[], failures = 0): SeriesTotals {
  const counts = LATENCY_BOUNDS_MS.map((le) => latenciesMs.filter((ms) => ms <= le).length);
  return {
    service, version, requests: latenciesMs.length + failures, errors5xx: 1, upstreamFailures: failures,
    latencyBuckets: [...LATENCY_BOUNDS_MS.map((leMs, i) => ({ leMs, count: counts[i]! })), { leMs: Infinity, count: latenciesMs.length }],
    latencySumMs: latenciesMs.reduce((a, b) => a + b, 0), latencyCount: latenciesMs.length,
  };
}

describe('metric samples from service status', () => {
  it('counts instances per version and health, with zeros for the absent states', () => {
    const samples = instanceSamples([service()]);
    const byHealth = Object.fromEntries(samples.map((s) => [s.labels.health, s.value]));
    assert.deepEqual(byHealth, { healthy: 1, starting: 1, unhealthy: 0, unknown: 0 });
    assert.ok(samples.every((s) => s.labels.service === 'web' && s.labels.version === 'v1'));
  });

  it('reports an instance of a version no longer declared under its own version', () => {
    const s = service({ versions: [] });
    assert.equal(instanceSamples([s]).find((x) => x.labels.health === 'healthy')?.labels.version, 'v1');
  });

  it('marks the current phase with 1 and the four others with 0', () => {
    const samples = phaseSamples([canary]);
    assert.equal(samples.length, 5);
    assert.deepEqual(samples.filter((s) => s.value === 1).map((s) => s.labels.phase), ['Paused']);
  });

  const rollouts: Array<[string, ServiceStatus, { step: number; steps: number; weight: number; failures: number; phase: string | null }]> = [
    ['a paused canary at step 2 of 5 with 20%', canary, { step: 2, steps: 5, weight: 20, failures: 1, phase: 'Paused' }],
    ['no rollout in flight: zeros and no phase', service(), { step: 0, steps: 0, weight: 0, failures: 0, phase: null }],
  ];
  for (const [name, status, want] of rollouts) {
    it(`rollout gauges for ${name}`, () => {
      const r = rolloutSamples([status]);
      assert.deepEqual(
        { step: r.step[0]!.value, steps: r.steps[0]!.value, weight: r.weight[0]!.value, failures: r.failures[0]!.value, phase: r.phase.find((s) => s.value === 1)?.labels.phase ?? null },
        want,
      );
    });
  }
});

describe('gateway latency histogram', () => {
  it('exports cumulative buckets in seconds, +Inf, sum and count', () => {
    const values = histogramValues('h', { labels: { service: 'web' }, buckets: [{ le: 0.01, count: 2 }, { le: 0.1, count: 3 }, { le: Infinity, count: 4 }], sum: 1.5, count: 4 });
    assert.deepEqual(values.map((v) => [v.metricName, v.labels.le ?? null, v.value]), [
      ['h_bucket', 0.01, 2], ['h_bucket', 0.1, 3], ['h_bucket', '+Inf', 4], ['h_sum', null, 1.5], ['h_count', null, 4],
    ]);
    assert.ok(values.every((v) => v.sharedLabels.service === 'web'));
  });
});

describe('the DSR registry', () => {
  it('renders every family from its sources, current at each scrape', async () => {
    let series = [totals('web', 'v1', [3, 12, 40])];
    const metrics = createDsrMetrics({
      version: '9.9.9',
      gatewayTotals: () => series,
      services: () => [canary],
      docker: () => ({ available: true, error: null, since: '' }),
      events: { sizeBytes: () => 4096, lastId: () => 42 },
    });
    metrics.recordPass({ key: 'web', durationMs: 20, actions: [{ type: 'create', failed: false }, { type: 'remove', failed: true }], error: new Error('remove failed') });
    metrics.recordPass({ key: 'web', durationMs: 5, actions: [], error: null });
    const scrape = parsePromText(await metrics.registry.metrics());
    const v1 = { service: 'web', version: 'v1' };
    assert.equal(scrape.value('dsr_build_info', { version: '9.9.9' }), 1);
    assert.equal(scrape.value('dsr_gateway_requests_total', v1), 3);
    assert.equal(scrape.value('dsr_gateway_responses_5xx_total', v1), 1);
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_bucket', { ...v1, le: '0.005' }), 1);
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_bucket', { ...v1, le: '0.05' }), 3);
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_bucket', { ...v1, le: '+Inf' }), 3);
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_count', v1), 3);
    assert.ok(Math.abs(scrape.value('dsr_gateway_request_duration_seconds_sum', v1) - 0.055) < 1e-9);
    assert.equal(scrape.types.get('dsr_gateway_request_duration_seconds'), 'histogram');
    assert.equal(scrape.value('dsr_version_weight_percent', { service: 'web', version: 'v2' }), 20);
    assert.equal(scrape.value('dsr_rollout_step', { service: 'web' }), 2);
    assert.equal(scrape.value('dsr_rollout_canary_weight_percent', { service: 'web' }), 20);
    assert.equal(scrape.value('dsr_service_phase', { service: 'web', phase: 'Paused' }), 1);
    assert.equal(scrape.value('dsr_reconcile_passes_total', { service: 'web' }), 2);
    assert.equal(scrape.value('dsr_reconcile_errors_total', { service: 'web' }), 1);
    assert.equal(scrape.value('dsr_reconcile_actions_total', { service: 'web', action: 'create', result: 'ok' }), 1);
    assert.equal(scrape.value('dsr_reconcile_actions_total', { service: 'web', action: 'remove', result: 'error' }), 1);
    assert.equal(scrape.value('dsr_reconcile_pass_duration_seconds_count', { service: 'web' }), 2);
    assert.equal(scrape.value('dsr_event_log_size_bytes'), 4096);
    assert.equal(scrape.value('dsr_event_log_last_id'), 42);
    assert.equal(scrape.value('dsr_docker_available'), 1);
    assert.ok(scrape.find('process_cpu_user_seconds_total').length === 1, 'default process metrics');

    series = [totals('web', 'v1', [3, 12, 40, 700], 2)];
    const again = parsePromText(await metrics.registry.metrics());
    assert.equal(again.value('dsr_gateway_requests_total', v1), 6, 'read again at the next scrape');
    assert.equal(again.value('dsr_gateway_upstream_failures_total', v1), 2);
    assert.equal(again.value('dsr_gateway_request_duration_seconds_bucket', { ...v1, le: '0.5' }), 3);
    assert.equal(again.value('dsr_gateway_request_duration_seconds_bucket', { ...v1, le: '0.75' }), 4);
  });

  it('never shares series between two registries in one process', async () => {
    const sources = { version: 'x', gatewayTotals: () => [], services: () => [], docker: () => ({ available: false, error: 'down', since: '' }), events: { sizeBytes: () => 0, lastId: () => 0 } };
    const a = createDsrMetrics(sources);
    const b = createDsrMetrics(sources);
    a.recordPass({ key: 'web', durationMs: 1, actions: [], error: null });
    assert.equal(parsePromText(await b.registry.metrics()).find('dsr_reconcile_passes_total').length, 0);
    assert.equal(parsePromText(await a.registry.metrics()).value('dsr_docker_available'), 0);
  });
});

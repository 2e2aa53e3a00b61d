// GET /metrics of a real `dsr run` with a service on the real Docker engine: scraped after some
// gateway traffic and parsed as Prometheus would, asserting the series and their values.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { parsePromText, type PromScrape } from '../helpers/prom-text.js';
import { waitFor } from '../helpers/wait.js';

describeDocker('GET /metrics', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-metrics-data-'));
  let dsr: DsrProcess | undefined;
  after(async () => {
    await dsr?.kill('SIGTERM');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  let scrape: PromScrape;
  const web = { service: 'web', version: 'v1' };

  it('serves the Prometheus text format of a running DSR', async () => {
    repo.write('web.yaml', manifest('web', { replicas: 2 }));
    repo.commit('web: 2 replicas');
    dsr = await startDsr(['--manifests', repo.dir, '--data', data], { DSR_OWNER: owner }, await freePort());
    await waitFor('web healthy', async () => ((await (await fetch(`${dsr!.url}/api/services/web`)).json()) as { phase: string }).phase === 'Healthy', 30_000);
    for (let i = 0; i < 25; i++) assert.equal((await fetch(`${dsr.url}/gateway/web/health`)).status, 200);
    const res = await fetch(`${dsr.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    scrape = parsePromText(await res.text());
  });

  it('counts the gateway requests per service and version, with a consistent latency histogram', () => {
    assert.equal(scrape.value('dsr_gateway_requests_total', web), 25);
    assert.equal(scrape.value('dsr_gateway_responses_5xx_total', web), 0);
    assert.equal(scrape.value('dsr_gateway_upstream_failures_total', web), 0);
    const buckets = scrape.find('dsr_gateway_request_duration_seconds_bucket', web);
    assert.ok(buckets.length > 10);
    const counts = buckets.map((b) => b.value);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'cumulative buckets never decrease');
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_bucket', { ...web, le: '+Inf' }), 25);
    assert.equal(scrape.value('dsr_gateway_request_duration_seconds_count', web), 25);
    const sum = scrape.value('dsr_gateway_request_duration_seconds_sum', web);
    assert.ok(sum > 0 && sum < 25 * 5, `latency sum ${sum} s is sane`);
  });

  it('reports instances by health, the phase, weights and rollout progress of each service', () => {
    assert.equal(scrape.value('dsr_instances', { ...web, health: 'healthy' }), 2);
    assert.equal(scrape.value('dsr_instances', { ...web, health: 'unhealthy' }), 0);
    assert.equal(scrape.value('dsr_service_phase', { service: 'web', phase: 'Healthy' }), 1);
    assert.equal(scrape.value('dsr_service_phase', { service: 'web', phase: 'Degraded' }), 0);
    assert.equal(scrape.value('dsr_service_synced', { service: 'web' }), 1);
    assert.equal(scrape.value('dsr_version_weight_percent', web), 100);
    assert.equal(scrape.value('dsr_version_replicas', web), 2);
    assert.equal(scrape.value('dsr_version_ready_replicas', web), 2);
    assert.equal(scrape.value('dsr_rollout_step', { service: 'web' }), 0);
    assert.equal(scrape.value('dsr_rollout_canary_weight_percent', { service: 'web' }), 0);
  });

  it('counts reconcile passes and the Docker actions they took', () => {
    assert.ok(scrape.value('dsr_reconcile_passes_total', { service: 'web' }) >= 1);
    assert.equal(scrape.value('dsr_reconcile_actions_total', { service: 'web', action: 'create', result: 'ok' }), 2);
    assert.equal(scrape.value('dsr_reconcile_errors_total', { service: 'web' }), 0);
    assert.ok(scrape.value('dsr_reconcile_pass_duration_seconds_count', { service: 'web' }) >= 1);
  });

  it('reports the event log, Docker and the process itself', async () => {
    const events = (await (await fetch(`${dsr!.url}/events?limit=1`)).json()) as { lastId: number };
    assert.ok(scrape.value('dsr_event_log_last_id') >= 5, 'loaded, 2 created, 2 healthy, synced');
    assert.ok(scrape.value('dsr_event_log_last_id') <= events.lastId);
    assert.ok(scrape.value('dsr_event_log_size_bytes') > 500);
    assert.equal(scrape.value('dsr_docker_available'), 1);
    assert.equal(scrape.find('dsr_build_info').length, 1);
    assert.ok(scrape.value('process_resident_memory_bytes') > 10_000_000);
    assert.ok(scrape.find('nodejs_eventloop_lag_seconds').length === 1);
  });

  it('answers bad event queries of the real API with 400 JSON', async () => {
    const res = await fetch(`${dsr!.url}/events?since=soon`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /since must be a non-negative integer/);
  });
});

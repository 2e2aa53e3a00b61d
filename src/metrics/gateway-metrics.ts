// The gateway's traffic as Prometheus series, per service and version. The gateway keeps its own
// cumulative totals (src/gateway/metrics.ts); these collectors copy them at scrape time, so the
// request path pays nothing for Prometheus. Requests that reached no version (503 "no healthy
// instance") carry version="".
import { Counter, type Registry } from 'prom-client';
import type { SeriesTotals } from '../gateway/metrics.js';
import { TotalsHistogram } from './totals-histogram.js';

const LABELS = ['service', 'version'] as const;

/** Registers the gateway's request, 5xx, upstream-failure and latency series on `registry`. */
export function registerGatewayMetrics(registry: Registry, totals: () => SeriesTotals[]): void {
  const counter = (name: string, help: string, value: (t: SeriesTotals) => number): void => {
    new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of totals()) this.inc({ service: t.service, version: t.version }, value(t));
      },
    });
  };
  counter('dsr_gateway_requests_total', 'Requests the gateway sent to an instance (each attempt, retries included), by service and version.', (t) => t.requests);
  counter('dsr_gateway_responses_5xx_total', 'Responses with a 5xx status, by service and version.', (t) => t.errors5xx);
  counter('dsr_gateway_upstream_failures_total', 'Attempts that failed at the connection level (refused, reset, timed out, cut mid-body).', (t) => t.upstreamFailures);
  new TotalsHistogram(
    {
      name: 'dsr_gateway_request_duration_seconds',
      help: 'Time from sending a request to an instance until its response ended, by service and version.',
      labelNames: LABELS,
      registers: [registry],
    },
    () => totals().map((t) => ({
      labels: { service: t.service, version: t.version },
      buckets: t.latencyBuckets.map((b) => ({ le: b.leMs / 1000, count: b.count })),
      sum: t.latencySumMs / 1000,
      count: t.latencyCount,
    })),
  );
}

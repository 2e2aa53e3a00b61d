// DSR's Prometheus registry: its own Registry (never prom-client's global one, so two DSRs in one
// process, as in tests, never share series), filled by collectors that read the live state at
// scrape time, plus the reconcile counters fed by the controller and Node's default metrics.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PassReport } from '../controller/controller.js';
import type { SeriesTotals } from '../gateway/metrics.js';
import { registerGatewayMetrics } from './gateway-metrics.js';
import { registerReconcileMetrics } from './reconcile-metrics.js';
import { registerServiceMetrics, type ServiceMetricSources } from './service-metrics.js';

export interface DsrMetricSources extends ServiceMetricSources {
  /** DSR's version, exported as dsr_build_info{version}. */
  version: string;
  /** The gateway's cumulative traffic counters. */
  gatewayTotals: () => SeriesTotals[];
}

export interface DsrMetrics {
  registry: Registry;
  /** Pass to the controller as its `onPass` option. */
  recordPass: (report: PassReport) => void;
}

/** Builds the registry. The sources are read only when /metrics is scraped. */
export function createDsrMetrics(sources: DsrMetricSources): DsrMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({ name: 'dsr_build_info', help: 'Always 1; the version label says which DSR runs.', labelNames: ['version'], registers: [registry] });
  info.set({ version: sources.version }, 1);
  registerGatewayMetrics(registry, sources.gatewayTotals);
  registerServiceMetrics(registry, sources);
  const recordPass = registerReconcileMetrics(registry);
  return { registry, recordPass };
}

// Reconcile passes, the Docker actions they took, and the passes that failed, counted from the
// controller's onPass hook.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { PassReport } from '../controller/controller.js';

/** Registers the reconcile series and returns the onPass callback that feeds them. */
export function registerReconcileMetrics(registry: Registry): (report: PassReport) => void {
  const passes = new Counter({ name: 'dsr_reconcile_passes_total', help: 'Reconcile passes run, by service ("*" is the pass that discovers services to remove).', labelNames: ['service'], registers: [registry] });
  const errors = new Counter({ name: 'dsr_reconcile_errors_total', help: 'Reconcile passes that failed (and are retried with back-off), by service.', labelNames: ['service'], registers: [registry] });
  const actions = new Counter({ name: 'dsr_reconcile_actions_total', help: 'Docker actions applied by reconcile passes, by service, action (create, remove) and result (ok, error).', labelNames: ['service', 'action', 'result'], registers: [registry] });
  const duration = new Histogram({
    name: 'dsr_reconcile_pass_duration_seconds',
    help: 'Duration of reconcile passes, including the Docker actions they applied.',
    labelNames: ['service'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (report) => {
    const service = report.key;
    passes.inc({ service });
    if (report.error) errors.inc({ service });
    else errors.inc({ service }, 0);
    for (const a of report.actions) actions.inc({ service, action: a.type, result: a.failed ? 'error' : 'ok' });
    duration.observe({ service }, report.durationMs / 1000);
  };
}

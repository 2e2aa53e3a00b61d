// What the controller knows, as Prometheus gauges read at scrape time: each service's phase,
// sync state, versions (weight, desired and ready replicas), instances by health, and rollout
// progress; Docker reachability; the event log's size and last id.
import { Gauge, type Registry } from 'prom-client';
import type { DockerStatus } from '../controller/controller.js';
import type { Phase, ServiceStatus } from '../controller/status.js';
import type { EventLog } from '../events/types.js';

const PHASES: readonly Phase[] = ['Healthy', 'Progressing', 'Paused', 'Degraded', 'Invalid'];
const ROLLOUT_PHASES = ['Progressing', 'Paused', 'Aborted'] as const;
const HEALTH = ['healthy', 'starting', 'unhealthy', 'unknown'] as const;

export interface ServiceMetricSources {
  services: () => ServiceStatus[];
  docker: () => DockerStatus;
  events: Pick<EventLog, 'sizeBytes' | 'lastId'>;
}

/** One gauge value. */
export interface GaugeSample {
  labels: Record<string, string>;
  value: number;
}

/**
 * Instances per (service, version, health), zeros included so a series never vanishes when the
 * last instance of a health state goes. Example: web/v1 with two healthy instances →
 * healthy 2, starting 0, unhealthy 0, unknown 0.
 */
export function instanceSamples(services: readonly ServiceStatus[]): GaugeSample[] {
  const out: GaugeSample[] = [];
  for (const s of services) {
    const versions = new Set([...s.versions.map((v) => v.name), ...s.instances.map((i) => i.version)]);
    for (const version of versions) {
      for (const health of HEALTH) {
        const value = s.instances.filter((i) => i.version === version && i.health === health).length;
        out.push({ labels: { service: s.name, version, health }, value });
      }
    }
  }
  return out;
}

/** A state set: one series per possible phase, 1 for the current one (Prometheus' convention for enums). */
export function phaseSamples(services: readonly ServiceStatus[]): GaugeSample[] {
  return services.flatMap((s) => PHASES.map((phase) => ({ labels: { service: s.name, phase }, value: s.phase === phase ? 1 : 0 })));
}

/**
 * Rollout progress per service: the 1-based step (0 without a rollout in flight), the number of
 * steps, the canary's weight, the failed analysis checks, and its phase as a state set.
 */
export function rolloutSamples(services: readonly ServiceStatus[]): Record<'step' | 'steps' | 'weight' | 'failures' | 'phase', GaugeSample[]> {
  const out = { step: [] as GaugeSample[], steps: [] as GaugeSample[], weight: [] as GaugeSample[], failures: [] as GaugeSample[], phase: [] as GaugeSample[] };
  for (const s of services) {
    const r = s.rollout;
    const labels = { service: s.name };
    out.step.push({ labels, value: r ? r.step : 0 });
    out.steps.push({ labels, value: r ? r.steps : 0 });
    out.weight.push({ labels, value: r ? r.weight : 0 });
    out.failures.push({ labels, value: r ? r.failures : 0 });
    for (const phase of ROLLOUT_PHASES) out.phase.push({ labels: { service: s.name, phase }, value: r?.phase === phase ? 1 : 0 });
  }
  return out;
}

/** Registers the controller and event-log gauges on `registry`. */
export function registerServiceMetrics(registry: Registry, sources: ServiceMetricSources): void {
  // statuses() is computed on demand; read it once per scrape, not once per gauge.
  let cached: { at: number; services: ServiceStatus[] } | null = null;
  const services = (): ServiceStatus[] => {
    const now = Date.now();
    if (!cached || now - cached.at > 250) cached = { at: now, services: sources.services() };
    return cached.services;
  };
  const gauge = (name: string, help: string, labelNames: string[], samples: () => GaugeSample[]): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of samples()) this.set(s.labels, s.value);
      },
    });
  };
  const perVersion = (value: (v: ServiceStatus['versions'][number]) => number) => () =>
    services().flatMap((s) => s.versions.map((v) => ({ labels: { service: s.name, version: v.name }, value: value(v) })));

  gauge('dsr_service_phase', 'The phase of each service: 1 for the current one, 0 for the others.', ['service', 'phase'], () => phaseSamples(services()));
  gauge('dsr_service_synced', '1 when what runs is what the latest commit asks for, else 0.', ['service'], () => services().map((s) => ({ labels: { service: s.name }, value: s.synced ? 1 : 0 })));
  gauge('dsr_instances', 'Instances by service, version and health (healthy, starting, unhealthy, unknown).', ['service', 'version', 'health'], () => instanceSamples(services()));
  gauge('dsr_version_replicas', 'Replicas the manifest (or the rollout) asks for, by service and version.', ['service', 'version'], perVersion((v) => v.replicas));
  gauge('dsr_version_ready_replicas', 'Current, healthy instances, by service and version.', ['service', 'version'], perVersion((v) => v.ready));
  gauge('dsr_version_weight_percent', 'Share of the gateway traffic routed to each version (0-100).', ['service', 'version'], perVersion((v) => v.weight));
  gauge('dsr_rollout_step', 'Current rollout step (1-based); 0 when no rollout is in flight.', ['service'], () => rolloutSamples(services()).step);
  gauge('dsr_rollout_steps', 'Number of steps of the rollout in flight; 0 when none.', ['service'], () => rolloutSamples(services()).steps);
  gauge('dsr_rollout_canary_weight_percent', 'Traffic share of the canary (0-100); 0 when no rollout is in flight.', ['service'], () => rolloutSamples(services()).weight);
  gauge('dsr_rollout_analysis_failures', 'Failed analysis checks of the rollout in flight.', ['service'], () => rolloutSamples(services()).failures);
  gauge('dsr_rollout_phase', 'Phase of the rollout of each service (Progressing, Paused, Aborted): 1 for the current one.', ['service', 'phase'], () => rolloutSamples(services()).phase);
  gauge('dsr_docker_available', '1 when the Docker engine answered the last call, else 0.', [], () => [{ labels: {}, value: sources.docker().available ? 1 : 0 }]);
  gauge('dsr_event_log_size_bytes', 'Bytes the event log occupies on disk (all retained files).', [], () => [{ labels: {}, value: sources.events.sizeBytes() }]);
  gauge('dsr_event_log_last_id', 'Id of the newest event in the log.', [], () => [{ labels: {}, value: sources.events.lastId() }]);
}

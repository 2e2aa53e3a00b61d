// Turns a valid raw manifest into the desired state the rest of DSR consumes: defaults
// applied, durations in milliseconds, the single version's weight made explicit.
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_PROGRESS_DEADLINE_MS, DEFAULT_REPLICAS, DEFAULT_ROLLOUT_STEPS, DEFAULT_STOP_GRACE_PERIOD_MS } from './defaults.js';
import type { AnalysisSpec, HealthSpec, RolloutSpec, RolloutStep, ServiceSpec, SourceLocation, VersionSpec } from './service-spec.js';
import { durationMs } from './duration.js';
import type { ManifestAnalysis, ManifestHealth, ManifestRollout, ManifestStep, ManifestVersion, ServiceManifest } from './manifest.gen.js';

function ms(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : durationMs(value);
}

function health(h: ManifestHealth | undefined): HealthSpec {
  const d = DEFAULT_HEALTH;
  return {
    path: h?.path ?? d.path,
    intervalMs: ms(h?.interval, d.intervalMs),
    timeoutMs: ms(h?.timeout, d.timeoutMs),
    failureThreshold: h?.failureThreshold ?? d.failureThreshold,
    successThreshold: h?.successThreshold ?? d.successThreshold,
    startPeriodMs: ms(h?.startPeriod, d.startPeriodMs),
  };
}

function version(v: ManifestVersion, only: boolean): VersionSpec {
  const env: Record<string, string> = {};
  for (const [k, value] of Object.entries(v.env ?? {})) if (value !== undefined) env[k] = value;
  return {
    name: v.name,
    image: v.image,
    replicas: v.replicas ?? DEFAULT_REPLICAS,
    // Semantic checks guarantee: absent or 100 when alone, present when several.
    weight: only ? 100 : (v.weight ?? 0),
    env,
    command: v.command ? [...v.command] : null,
  };
}

function step(s: ManifestStep): RolloutStep {
  if (s.setWeight !== undefined) return { kind: 'setWeight', weight: s.setWeight };
  return { kind: 'pause', durationMs: typeof s.pause === 'string' ? durationMs(s.pause) : null };
}

function analysis(a: ManifestAnalysis | undefined): AnalysisSpec {
  const d = DEFAULT_ANALYSIS;
  return {
    intervalMs: ms(a?.interval, d.intervalMs),
    minRequests: a?.minRequests ?? d.minRequests,
    maxErrorRate: a?.maxErrorRate ?? d.maxErrorRate,
    maxLatencyP99Ms: ms(a?.maxLatencyP99, d.maxLatencyP99Ms),
    failureLimit: a?.failureLimit ?? d.failureLimit,
    compareToStable: a?.compareToStable ?? d.compareToStable,
    inconclusiveDeadlineMs: a?.inconclusiveDeadline === undefined ? d.inconclusiveDeadlineMs : durationMs(a.inconclusiveDeadline),
  };
}

function rollout(r: ManifestRollout | undefined): RolloutSpec {
  return {
    steps: r?.steps ? r.steps.map(step) : DEFAULT_ROLLOUT_STEPS.map((s) => ({ ...s })),
    analysis: analysis(r?.analysis),
    progressDeadlineMs: ms(r?.progressDeadline, DEFAULT_PROGRESS_DEADLINE_MS),
  };
}

/** Desired state of a manifest that passed the schema and the semantic checks. */
export function toServiceSpec(m: ServiceManifest, source: SourceLocation): ServiceSpec {
  const only = m.spec.versions.length === 1;
  return {
    name: m.metadata.name,
    port: m.spec.port,
    health: health(m.spec.health),
    versions: m.spec.versions.map((v) => version(v, only)),
    rollout: rollout(m.spec.rollout),
    gateway: { sticky: m.spec.gateway?.sticky ?? DEFAULT_GATEWAY.sticky, upstreamKeepAlive: m.spec.gateway?.upstreamKeepAlive ?? DEFAULT_GATEWAY.upstreamKeepAlive },
    stopGracePeriodMs: ms(m.spec.stopGracePeriod, DEFAULT_STOP_GRACE_PERIOD_MS),
    source,
  };
}

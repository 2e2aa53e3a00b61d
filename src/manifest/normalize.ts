// Turns a valid raw manifest into the desired state the rest of DSR consumes: defaults
// applied, durations in milliseconds, the single version's weight made explicit.
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_HEALTH_PATH, DEFAULT_PROGRESS_DEADLINE_MS, DEFAULT_REPLICAS, DEFAULT_ROLLOUT_STEPS, DEFAULT_STOP_GRACE_PERIOD_MS } from './defaults.js';
import type { AnalysisSpec, HealthProbe, HealthSpec, ResourcesSpec, RolloutSpec, RolloutStep, ServiceSpec, SourceLocation, VersionSpec, VolumeSpec } from './service-spec.js';
import { durationMs } from './duration.js';
import type { ManifestAnalysis, ManifestHealth, ManifestResources, ManifestRollout, ManifestStep, ManifestVersion, ManifestVolume, ServiceManifest } from './manifest.gen.js';
import { nanoCpus, parseMemory } from './quantities.js';
import { effectiveStrategy } from './stack-checks.js';

function ms(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : durationMs(value);
}

/** The one probe kind (the semantic checks guarantee at most one is set, and path/tcp only with a port). */
function probe(h: ManifestHealth | undefined, hasPort: boolean): HealthProbe {
  if (h?.exec) return { kind: 'exec', command: [...h.exec] };
  if (h?.tcp) return { kind: 'tcp' };
  if (hasPort) return { kind: 'http', path: h?.path ?? DEFAULT_HEALTH_PATH };
  return { kind: 'running' };
}

function health(h: ManifestHealth | undefined, hasPort: boolean): HealthSpec {
  const d = DEFAULT_HEALTH;
  return {
    probe: probe(h, hasPort),
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

function volume(v: ManifestVolume): VolumeSpec {
  // The semantic checks guarantee exactly one of name and hostPath.
  if (v.hostPath !== undefined) return { kind: 'host', hostPath: v.hostPath, mountPath: v.mountPath, readOnly: v.readOnly ?? true };
  return { kind: 'named', name: v.name!, mountPath: v.mountPath, readOnly: v.readOnly ?? false, shared: v.shared ?? false };
}

function resources(r: ManifestResources | undefined): ResourcesSpec {
  const memory = r?.memory === undefined ? null : parseMemory(r.memory);
  return {
    memoryBytes: memory?.ok ? memory.bytes : null,
    nanoCpus: r?.cpus === undefined ? null : nanoCpus(r.cpus),
    pids: r?.pids ?? null,
  };
}

function labels(l: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(l ?? {})) if (value !== undefined) out[k] = value;
  return out;
}

/** Desired state of a manifest that passed the schema and the semantic checks. */
export function toServiceSpec(m: ServiceManifest, source: SourceLocation): ServiceSpec {
  const only = m.spec.versions.length === 1;
  return {
    name: m.metadata.name,
    port: m.spec.port ?? null,
    strategy: effectiveStrategy(m.spec),
    health: health(m.spec.health, m.spec.port !== undefined),
    versions: m.spec.versions.map((v) => version(v, only)),
    rollout: rollout(m.spec.rollout),
    gateway: { sticky: m.spec.gateway?.sticky ?? DEFAULT_GATEWAY.sticky, upstreamKeepAlive: m.spec.gateway?.upstreamKeepAlive ?? DEFAULT_GATEWAY.upstreamKeepAlive },
    stopGracePeriodMs: ms(m.spec.stopGracePeriod, DEFAULT_STOP_GRACE_PERIOD_MS),
    volumes: (m.spec.volumes ?? []).map(volume),
    resources: resources(m.spec.resources),
    secrets: [...(m.spec.secrets ?? [])],
    dependsOn: [...(m.spec.dependsOn ?? [])],
    labels: labels(m.spec.labels),
    source,
  };
}

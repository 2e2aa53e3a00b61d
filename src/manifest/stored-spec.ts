// Specs saved in `<data>/state.json` by an older DSR (last valid spec, history, pins) lack the
// SPEC §8 fields and carry `health.path` instead of `health.probe`. Reading one back as is
// would hand the controller `volumes: undefined`, and a pin compared with a fresh manifest would
// look changed. This fills each missing field with what the old manifest meant. Pure.
import { DEFAULT_HEALTH_PATH, DEFAULT_RESOURCES } from './defaults.js';
import type { HealthProbe, ServiceSpec } from './service-spec.js';

type Loose = Record<string, unknown>;

function isRecord(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function probeOf(health: Loose, port: number | null): HealthProbe {
  if (isRecord(health['probe'])) return health['probe'] as HealthProbe;
  if (typeof health['path'] === 'string') return { kind: 'http', path: health['path'] };
  return port === null ? { kind: 'running' } : { kind: 'http', path: DEFAULT_HEALTH_PATH };
}

/**
 * A stored ServiceSpec in today's shape: fields written by this DSR are kept, fields an older
 * DSR did not know get the value an absent manifest field means (no volumes, no limits, Canary
 * with a port). Example: `{ port: 80, health: { path: '/health', ... } }` gains
 * `health.probe = { kind: 'http', path: '/health' }`, `strategy: 'Canary'`, `volumes: []`.
 */
export function upgradeStoredSpec(stored: unknown): ServiceSpec {
  const s = (isRecord(stored) ? stored : {}) as Loose;
  const spec = s as unknown as ServiceSpec;
  const port = typeof s['port'] === 'number' ? s['port'] : null;
  const health = isRecord(s['health']) ? s['health'] : {};
  const h = health as unknown as ServiceSpec['health'];
  // Built field by field in toServiceSpec's order: history and pins compare specs as JSON text.
  return {
    name: spec.name,
    port,
    strategy: (s['strategy'] as ServiceSpec['strategy'] | undefined) ?? (port === null ? 'Rolling' : 'Canary'),
    health: {
      probe: probeOf(health, port),
      intervalMs: h.intervalMs,
      timeoutMs: h.timeoutMs,
      failureThreshold: h.failureThreshold,
      successThreshold: h.successThreshold,
      startPeriodMs: h.startPeriodMs,
    },
    versions: spec.versions,
    rollout: spec.rollout,
    gateway: spec.gateway,
    stopGracePeriodMs: spec.stopGracePeriodMs,
    volumes: Array.isArray(s['volumes']) ? (s['volumes'] as ServiceSpec['volumes']) : [],
    resources: isRecord(s['resources']) ? (s['resources'] as unknown as ServiceSpec['resources']) : { ...DEFAULT_RESOURCES },
    secrets: Array.isArray(s['secrets']) ? (s['secrets'] as string[]) : [],
    dependsOn: Array.isArray(s['dependsOn']) ? (s['dependsOn'] as string[]) : [],
    labels: isRecord(s['labels']) ? (s['labels'] as Record<string, string>) : {},
    source: spec.source,
  };
}

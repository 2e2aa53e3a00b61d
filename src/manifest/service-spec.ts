// The desired state of one service as the rest of DSR sees it: validated, defaults applied,
// durations in milliseconds. The loader (src/manifest/load.ts) is the only producer; the planner,
// the rollout machine, the gateway and the API consume it. Raw manifest types (generated from
// schemas/service.schema.json) never leave src/manifest/.

/**
 * How an instance is checked (SPEC §8 `spec.health`): exactly one kind. `http` and `tcp` need the
 * service's port; `running` is what a service without a port and without `exec` gets.
 */
export type HealthProbe =
  | { kind: 'http'; path: string } // health.path (the default when there is a port)
  | { kind: 'tcp' } // health.tcp: true
  | { kind: 'exec'; command: string[] } // health.exec: run in the container, exit 0 = healthy
  | { kind: 'running' }; // no port and no exec: healthy once running for startPeriod

/** Health probing of every instance of a service (SPEC §1 and §8 `spec.health`). */
export interface HealthSpec {
  probe: HealthProbe;
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  startPeriodMs: number;
}

/** How a new version replaces the old one (SPEC §8 `spec.strategy`). */
export type Strategy = 'Canary' | 'Rolling' | 'Recreate';

/**
 * Storage mounted into every instance. A named volume's Docker name is
 * `dsr-<owner>-<service>-<name>` (labelled with DSR's owner/service labels and `dsr.volume`).
 */
export type VolumeSpec =
  | { kind: 'named'; name: string; mountPath: string; readOnly: boolean; shared: boolean }
  | { kind: 'host'; hostPath: string; mountPath: string; readOnly: boolean };

/** Limits of every instance; null = no limit. `256Mi` → 268435456 bytes; cpus 0.5 → 500000000 nano-CPUs. */
export interface ResourcesSpec {
  memoryBytes: number | null;
  nanoCpus: number | null;
  pids: number | null;
}

/** One version of a service. `weight` is the share of traffic in percent (0..100). */
export interface VersionSpec {
  name: string;
  image: string;
  replicas: number;
  weight: number;
  env: Record<string, string>;
  command: string[] | null;
}

/** A rollout step: a traffic weight for the new version, or a pause (`null` = until promoted). */
export type RolloutStep = { kind: 'setWeight'; weight: number } | { kind: 'pause'; durationMs: number | null };

/** Canary analysis thresholds, judged on the gateway's own traffic to the new version. */
export interface AnalysisSpec {
  intervalMs: number;
  minRequests: number;
  maxErrorRate: number;
  maxLatencyP99Ms: number;
  failureLimit: number;
  compareToStable: boolean;
  /** A step still waiting for `minRequests` this long after its window opened aborts; null = wait forever. */
  inconclusiveDeadlineMs: number | null;
}

export interface RolloutSpec {
  steps: RolloutStep[];
  analysis: AnalysisSpec;
  /** The new instances must be healthy by then (health only: never a deadline for traffic). */
  progressDeadlineMs: number;
}

export interface GatewaySpec {
  /** Keep a client on the version it first got during a rollout (cookie). */
  sticky: boolean;
  /** Reuse upstream connections between requests; false: one connection per request (stray-response race). */
  upstreamKeepAlive: boolean;
}

/** Where a service was declared, for error messages and events. */
export interface SourceLocation {
  /** Path relative to the manifests folder, with forward slashes. */
  file: string;
  line: number;
  column: number;
}

export interface ServiceSpec {
  name: string;
  /** The container port; null = a worker: no route, no HTTP or TCP probe. */
  port: number | null;
  strategy: Strategy;
  health: HealthSpec;
  versions: VersionSpec[];
  rollout: RolloutSpec;
  gateway: GatewaySpec;
  /** How long a removed instance's requests in flight, then its SIGTERM, each get (see plan/drain.ts). */
  stopGracePeriodMs: number;
  /** [] when absent. */
  volumes: VolumeSpec[];
  /** All null when absent. */
  resources: ResourcesSpec;
  /** Secret names: env from `<DSR_SECRETS>/<name>.env` (default `<data>/secrets/`). Values never live here. */
  secrets: string[];
  /**
   * Secret name → keyed digest of its file's content, filled by the controller on each pass
   * (src/secrets/folder.ts) and by `dsr plan`; absent until resolved. Never a value.
   */
  secretDigests?: Record<string, string>;
  /** Services that must have a healthy instance before new instances of this one start. */
  dependsOn: string[];
  /** User labels on every instance; the `dsr.` prefix is reserved (a validation error). */
  labels: Record<string, string>;
  source: SourceLocation;
}

/** One problem found in the manifests folder. `path` is the offending field, e.g. `spec.versions[0].replicas`. */
export interface ManifestError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** A file that produced errors, and the service names it appeared to declare (if any could be read). */
export interface FailedFile {
  file: string;
  serviceNames: string[];
}

/** Everything one load of the manifests folder produced. */
export interface LoadResult {
  services: ServiceSpec[];
  errors: ManifestError[];
  failedFiles: FailedFile[];
  /** Number of manifest files read (valid or not). */
  fileCount: number;
}

/** Formats an error the way users see it: `manifests/web.yaml:14:17 spec.versions[0].replicas: must be ...`. */
export function formatManifestError(e: ManifestError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path ? `${where} ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

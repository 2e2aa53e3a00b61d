// The desired state of one service as the rest of DSR sees it: validated, defaults applied,
// durations in milliseconds. The loader (src/manifest/load.ts) is the only producer; the planner,
// the rollout machine, the gateway and the API consume it. Raw manifest types (generated from
// schemas/service.schema.json) never leave src/manifest/.

/** Health probing of every instance of a service (SPEC §1 `spec.health`). */
export interface HealthSpec {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  startPeriodMs: number;
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
  port: number;
  health: HealthSpec;
  versions: VersionSpec[];
  rollout: RolloutSpec;
  gateway: GatewaySpec;
  /** How long a removed instance's requests in flight, then its SIGTERM, each get (see plan/drain.ts). */
  stopGracePeriodMs: number;
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

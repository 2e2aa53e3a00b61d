// GENERATED FILE, do not edit. Source: schemas/service.schema.json.
// Regenerate with `npm run gen:types` (tsx scripts/gen-types.ts).
// Raw manifest types, before defaults: they never leave src/manifest/ (see service-spec.ts).

/**
 * One service managed by DSR: its containers, health checks, versions with traffic weights, and how new versions are rolled out. One YAML document per service; a file may hold several documents separated by `---`.
 */
export interface ServiceManifest {
  /**
   * Version of the manifest format. Always `dsr/v1`.
   */
  apiVersion: "dsr/v1";
  /**
   * Kind of object. Always `Service`.
   */
  kind: "Service";
  metadata: ManifestMetadata;
  spec: ManifestSpec;
}
/**
 * Identity of the service.
 */
export interface ManifestMetadata {
  /**
   * Service name, unique across the whole manifests folder: lowercase letters, digits and `-`, starting with a letter, at most 40 characters. It names the containers (`dsr-<name>-<version>-<n>`) and the gateway route (`/gateway/<name>/`).
   */
  name: string;
}
/**
 * What DSR runs for the service and how it routes and rolls out. Every field added for real stacks (SPEC §8: port optional, strategy, volumes, resources, secrets, dependsOn, labels, health.tcp/exec) is optional, and a manifest that leaves them out means exactly what it meant before.
 */
export interface ManifestSpec {
  /**
   * TCP port the service's containers listen on (inside the container). Leave it out for a worker (a database, a cache, a queue consumer): no gateway route, no HTTP health check, and `dsr status` shows it as a worker. Other DSR containers still reach a worker by its container name on DSR's network.
   */
  port?: number;
  /**
   * How a new version replaces the old one. `Canary` (the default with a `port`): new instances start beside the old ones and traffic moves to them step by step (`rollout`). `Rolling` (the default without a `port`): one new instance starts and becomes healthy, then one old instance is drained and removed, repeated. `Recreate`: every old instance is drained and stopped first, then the new ones start (one writer at a time: databases). `Canary` needs a `port`. With several versions (a static split), `Rolling` is allowed and `Recreate` is not (it would run two versions at once).
   */
  strategy?: "Canary" | "Rolling" | "Recreate";
  health?: ManifestHealth;
  /**
   * The versions that run, each with its image and replica count. One version takes all traffic; with several, each needs a `weight` and the weights must sum to 100 (a static split). Replacing the single version with a new one starts a rollout.
   *
   * @minItems 1
   */
  versions: [ManifestVersion, ...ManifestVersion[]];
  rollout?: ManifestRollout;
  gateway?: ManifestGateway;
  /**
   * How gently an instance is removed (scale-down, a version leaving the split, a deleted manifest, the end or abort of a rollout, a failed instance): it first leaves the gateway's routes, then its requests in flight get up to this long to finish, then it gets SIGTERM and up to this long again to exit before SIGKILL. Docker counts the SIGTERM part in whole seconds (rounded up). `0s` kills at once.
   */
  stopGracePeriod?: string;
  /**
   * Storage mounted into every instance. A named volume (`name`) is created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune. A host path (`hostPath`) must lie under one of the folders the operator allows in `DSR_HOST_PATHS`. Names and mount paths are unique within the service.
   */
  volumes?: ManifestVolume[];
  resources?: ManifestResources;
  /**
   * Names of secret files whose `KEY=value` lines become environment variables of every instance: `<DSR_SECRETS>/<name>.env` (default `<data>/secrets/`). The values stay out of git, events, status, the API and logs. Names are file names: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters; each at most once.
   */
  secrets?: string[];
  /**
   * Services (by `metadata.name`, declared in the same manifests folder) that must each have a healthy instance before new instances of this service start. Unknown names, a service depending on itself and cycles are errors.
   */
  dependsOn?: string[];
  /**
   * Docker labels put on every instance, for your own tooling. Keys starting with `dsr.` are reserved for DSR.
   */
  labels?: {
    [k: string]: string | undefined;
  };
}
/**
 * Health check, exactly one kind: `path` (HTTP GET; healthy = a 2xx answer with the JSON body {"status":"healthy"}), `tcp: true` (a TCP connection to `port` is accepted) or `exec` (a command run inside the container exits 0). `path` and `tcp` need a `port`. With none of them: HTTP on `/health` when there is a port, else healthy once running for `startPeriod`.
 */
export interface ManifestHealth {
  /**
   * HTTP health check: the path that answers GET; it starts with `/`. The default check when the service has a port.
   */
  path?: string;
  /**
   * TCP health check: healthy when a connection to the instance's `port` is accepted within `timeout` (databases, caches, anything that does not speak HTTP). Only `true` is accepted; leave it out otherwise.
   */
  tcp?: true;
  /**
   * Command health check: run inside the container (no shell: write `["sh", "-c", "..."]` for one); exit code 0 = healthy, anything else or longer than `timeout` = a failed check (e.g. `["pg_isready", "-q"]`, `["redis-cli", "ping"]`).
   *
   * @minItems 1
   * @maxItems 64
   */
  exec?: [string, ...string[]];
  /**
   * Time between two checks of one instance.
   */
  interval?: string;
  /**
   * A check that takes longer than this has failed.
   */
  timeout?: string;
  /**
   * Consecutive failed checks that make an instance unhealthy: it leaves the rotation and is replaced.
   */
  failureThreshold?: number;
  /**
   * Consecutive successful checks that make an instance healthy (and able to receive traffic).
   */
  successThreshold?: number;
  /**
   * Grace period after an instance starts during which failed checks are not counted. A service without a port and without `exec` has no check: its instances count as healthy once they have been running this long.
   */
  startPeriod?: string;
}
/**
 * One version of the service: an image and how many instances of it run.
 */
export interface ManifestVersion {
  /**
   * Version name, unique within the service: lowercase letters, digits, `.` and `-`, starting with a letter or digit, at most 40 characters (e.g. `v1`, `2024.06.1`).
   */
  name: string;
  /**
   * Docker image reference; pulled if it is not present locally.
   */
  image: string;
  /**
   * Number of instances (containers) of this version. 0 keeps the version declared without running it. At most 100: one host cannot usefully run more.
   */
  replicas?: number;
  /**
   * Share of the service's traffic, in percent. Leave it out when there is a single version (it takes 100). With several versions every version needs one and they must sum to 100.
   */
  weight?: number;
  /**
   * Environment variables of the containers. Values are strings: quote numbers and booleans (`PORT: "8080"`).
   */
  env?: {
    [k: string]: string | undefined;
  };
  /**
   * Command and arguments that replace the image's default command (e.g. `["node", "server.js"]`).
   *
   * @minItems 1
   */
  command?: [string, ...string[]];
}
/**
 * How a new version is rolled out: traffic steps, the analysis that judges each step, and a deadline for the new instances to become healthy.
 */
export interface ManifestRollout {
  /**
   * Steps walked in order once the new version's instances are healthy: set the new version's traffic weight, or pause. After the last step the new version gets 100% and the old one is removed. An empty list switches all traffic at once.
   */
  steps?: ManifestStep[];
  analysis?: ManifestAnalysis;
  /**
   * The new version's instances must be healthy by this time, or the rollout aborts (counted from the start of the rollout, or of the step that finds an instance unhealthy). It bounds health only: waiting for traffic is bounded by `analysis.inconclusiveDeadline`.
   */
  progressDeadline?: string;
}
/**
 * One rollout step: exactly one of `setWeight` or `pause`.
 */
export interface ManifestStep {
  /**
   * Percentage of traffic sent to the new version from this step on.
   */
  setWeight?: number;
  /**
   * Wait this long (analysis keeps running), or `{}` to wait until `dsr promote <service>`.
   */
  pause?: string | {};
}
/**
 * Canary analysis, judged at every interval from the gateway's traffic to the new version.
 */
export interface ManifestAnalysis {
  /**
   * Time between two analysis checks.
   */
  interval?: string;
  /**
   * Requests a verdict needs. A check with fewer is inconclusive (neither passes nor fails) and keeps its window open: the next check judges all the traffic since the last verdict (at most the last 10 minutes), so a slow trickle still reaches a verdict.
   */
  minRequests?: number;
  /**
   * Highest acceptable share (0..1) of the new version's requests that end in a 5xx or an upstream failure.
   */
  maxErrorRate?: number;
  /**
   * Highest acceptable 99th percentile latency of the new version.
   */
  maxLatencyP99?: string;
  /**
   * Number of failed checks that aborts the rollout.
   */
  failureLimit?: number;
  /**
   * Judge the new version against the stable version over the same window: a limit the stable version breaks just as badly (a shared database down) does not count against the new version.
   */
  compareToStable?: boolean;
  /**
   * Abort when a step has waited this long for `minRequests` requests (its checks stayed inconclusive). Leave it out to wait for traffic as long as it takes: a quiet canary holds, it is never aborted for lack of traffic.
   */
  inconclusiveDeadline?: string;
}
/**
 * How the gateway routes clients to this service.
 */
export interface ManifestGateway {
  /**
   * During a rollout, keep each client on the version it first got (cookie), so one user does not flip between versions.
   */
  sticky?: boolean;
  /**
   * Reuse connections to instances between requests. Set `false` for an instance that may write an extra response after a correct one: on a reused HTTP/1.1 connection that stray response would be read as the answer to the next client's request (a race inherent to HTTP/1.1 keep-alive, nginx included); with `false` every request gets its own connection, closed after the response, at the cost of a TCP connect per request.
   */
  upstreamKeepAlive?: boolean;
}
/**
 * One volume: a DSR-owned named volume (`name`) or a host folder (`hostPath`), exactly one of the two, mounted at `mountPath`.
 */
export interface ManifestVolume {
  /**
   * Named volume, created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune (removed only by `dsr volumes rm`). 1 to 40 lowercase letters, digits or `-`, starting and ending with a letter or digit.
   */
  name?: string;
  /**
   * A folder of the host, mounted as is. It must be absolute and lie under one of the folders listed in `DSR_HOST_PATHS` (`:`-separated; `..` is resolved first). Read-only unless `readOnly: false`.
   */
  hostPath?: string;
  /**
   * Where the volume appears inside the container: an absolute path, not `/`, unique within the service.
   */
  mountPath: string;
  /**
   * Mount read-only. Default: `false` for a named volume, `true` for a host path.
   */
  readOnly?: boolean;
  /**
   * Named volumes only: the application tolerates several instances writing this volume at once. Without it, a read-write named volume is refused when old and new instances would run together (`Canary`, `Rolling`) or when more than one instance runs.
   */
  shared?: boolean;
}
/**
 * Resource limits of every instance.
 */
export interface ManifestResources {
  /**
   * Memory limit: a whole number of bytes (`1000000`), or a number with a binary suffix `Ki`, `Mi`, `Gi`, `Ti` (powers of 1024: `256Mi`, `1.5Gi`) or a decimal suffix `k`, `M`, `G`, `T` (powers of 1000: `512M`). Lowercase `m`/`g` are refused because Docker and Kubernetes read them differently: write `Mi`/`Gi`. From 6Mi (Docker's minimum) to 1Pi.
   */
  memory?: string | number;
  /**
   * CPU limit in cores (`0.5` = half a core), from 0.01 to 1024.
   */
  cpus?: number;
  /**
   * Most processes and threads an instance may run at once, from 2 (Docker's init plus your process) to 4194304 (Linux's ceiling). Leave room for the threads of your runtime and for `exec` health checks.
   */
  pids?: number;
}

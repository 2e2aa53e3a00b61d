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
 * What DSR runs for the service and how it routes and rolls out.
 */
export interface ManifestSpec {
  /**
   * TCP port the service's containers listen on (inside the container).
   */
  port: number;
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
}
/**
 * HTTP health check: GET on `path`; healthy means a 2xx answer with the JSON body {"status":"healthy"}.
 */
export interface ManifestHealth {
  /**
   * Path that answers health checks; it starts with `/`.
   */
  path?: string;
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
   * Grace period after an instance starts during which failed checks are not counted.
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

// The Swarm service of one DSR version (its instances are the service's task slots). Pure, and like container-config.ts the one place that
// decides what an instance may do: no privileges, host network, mounts or capabilities are ever
// written here.
import type { ServiceSpec } from 'dockerode';
import { GATEWAY_URL_ENV } from '../docker/container-config.js';
import { versionLabels, volumeLabels } from '../docker/labels.js';
import { volumeName } from '../runtime/names.js';
import type { InstanceSpec } from '../runtime/runtime.js';
import type { SecretTaskFields } from './secret-entry.js';

/** Swarm counts durations in nanoseconds. */
const SECOND_NS = 1_000_000_000;

/** How long Swarm waits before restarting a crashed task; DSR may replace the instance meanwhile. */
export const RESTART_DELAY_NS = 5 * SECOND_NS;

/** The stop grace period of a task until stop() says otherwise, as Docker's default. */
export const DEFAULT_STOP_GRACE_NS = 10 * SECOND_NS;

/** What versionServiceSpec needs besides the instance spec. */
export interface VersionServicePlacement {
  /** The service's name (names.ts versionServiceName). */
  name: string;
  /** The attachable overlay its tasks join. */
  network: string;
  /** DSR_GATEWAY_URL for its tasks, or null. */
  gatewayUrl?: string | null;
  /** The node a service with named volumes is pinned to (where its volumes live). */
  volumeNode?: string | null;
  /** Tasks to start with. */
  replicas: number;
  /** What the template's secrets add to the task (task-secrets.ts): the wrapper's Command and Args, the secrets' references. */
  secrets?: SecretTaskFields;
}

/**
 * Service spec of a version, e.g. name `dsr-web-v2`, `replicas` tasks, attached to the overlay
 * with its name as alias, DSR_GATEWAY_URL in its environment when given. A service with named
 * volumes is pinned to `volumeNode` (the manager DSR talks to), where its volumes live. Endpoint
 * mode dnsrr: no virtual IP, which needs IPVS (absent on some kernels) and which DSR does not
 * use: the gateway routes to task IPs. `spec.index` is not used: Swarm numbers the tasks (slots).
 */
export function versionServiceSpec(owner: string, spec: InstanceSpec, placement: VersionServicePlacement): ServiceSpec {
  const { name, network, gatewayUrl = null, volumeNode = null, replicas, secrets = {} } = placement;
  const t = spec.template;
  // DSR's labels last: they are the truth DSR finds its services by (validation rejects `dsr.` in the manifest's).
  const labels = { ...t.labels, ...versionLabels(owner, { ...spec, port: t.port }) };
  const stateful = t.volumes.some((v) => v.kind === 'named');
  if (stateful && !volumeNode) throw new Error(`${name}: a service with named volumes needs the node its volumes live on`);
  const limits = {
    ...(t.resources.memoryBytes !== null ? { MemoryBytes: t.resources.memoryBytes } : {}),
    ...(t.resources.nanoCpus !== null ? { NanoCPUs: t.resources.nanoCpus } : {}),
    ...(t.resources.pids !== null ? { Pids: t.resources.pids } : {}),
  };
  // Not part of the spec hash, as with Docker: a new gateway address does not roll services out.
  const env = gatewayUrl ? { ...t.env, [GATEWAY_URL_ENV]: gatewayUrl } : t.env;
  return {
    Name: name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: t.image,
        Env: Object.keys(env)
          .sort()
          .map((key) => `${key}=${env[key]}`),
        // Docker's Cmd is a service's Args (Command would replace the entrypoint).
        ...(t.command ? { Args: t.command } : {}),
        // Secrets: a wrapper exports their variables, then execs what Docker would run (secret-entry.ts).
        ...secrets,
        Labels: labels,
        // Init forwards SIGTERM to the app (see container-config.ts).
        Init: true,
        StopGracePeriod: DEFAULT_STOP_GRACE_NS,
        // As container-config.ts: named volumes DSR owns (Swarm creates them on the node, labelled),
        // host paths the manifest loader allowed.
        ...(t.volumes.length > 0 ? { Mounts: t.volumes.map((v) => v.kind === 'named'
          ? { Type: 'volume' as const, Source: volumeName(owner, spec.service, v.name), Target: v.mountPath, ReadOnly: v.readOnly, VolumeOptions: { NoCopy: false, Labels: volumeLabels(owner, spec.service, v.name), DriverConfig: { Name: 'local', Options: {} } } }
          : { Type: 'bind' as const, Source: v.hostPath, Target: v.mountPath, ReadOnly: v.readOnly }) } : {}),
      },
      ...(Object.keys(limits).length > 0 ? { Resources: { Limits: limits } } : {}),
      // A named volume is local to a node: the service stays on the node its data is on (docs/swarm.md).
      ...(stateful ? { Placement: { Constraints: [`node.id==${volumeNode}`] } } : {}),
      // Swarm restarts a crashed task in its slot (on its node, or elsewhere when the node is
      // gone) after the delay; DSR usually replaces it first (swarm-runtime.ts).
      RestartPolicy: { Condition: 'on-failure', Delay: RESTART_DELAY_NS, MaxAttempts: 0 },
      Networks: [{ Target: network, Aliases: [name] }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } },
    },
    Mode: { Replicated: { Replicas: replicas } },
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

/** The spec with `replicas` tasks. */
export function withReplicas(spec: ServiceSpec, replicas: number): ServiceSpec {
  return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
}

/** The replica count a spec asks for (0 when not a replicated service). */
export function replicasOf(spec: ServiceSpec): number {
  return spec.Mode?.Replicated?.Replicas ?? 0;
}

/** Seconds as Swarm's nanoseconds. */
export function seconds(n: number): number {
  return Math.round(n * SECOND_NS);
}

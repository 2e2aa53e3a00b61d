// The Swarm service of one DSR instance. Pure, and like container-config.ts the one place that
// decides what an instance may do: no privileges, host network, mounts or capabilities are ever
// written here.
import type { ServiceSpec } from 'dockerode';
import { GATEWAY_URL_ENV } from '../docker/container-config.js';
import { instanceLabels } from '../docker/labels.js';
import { containerName } from '../runtime/names.js';
import type { InstanceSpec } from '../runtime/runtime.js';

/** Swarm counts durations in nanoseconds. */
const SECOND_NS = 1_000_000_000;

/** How long Swarm waits before restarting a crashed task; DSR may replace the instance meanwhile. */
export const RESTART_DELAY_NS = 5 * SECOND_NS;

/** The stop grace period of a task until stop() says otherwise, as Docker's default. */
export const DEFAULT_STOP_GRACE_NS = 10 * SECOND_NS;

/**
 * Service spec for an instance, e.g. name `dsr-web-v2-1`, one replica, attached to the overlay
 * `network` with its name as alias, DSR_GATEWAY_URL in its environment when given. Endpoint mode dnsrr: no virtual IP, which needs IPVS (absent on
 * some kernels) and which DSR does not use: the gateway routes to task IPs.
 */
export function instanceServiceSpec(owner: string, spec: InstanceSpec, network: string, gatewayUrl: string | null = null): ServiceSpec {
  const name = containerName(owner, spec.service, spec.version, spec.index);
  const t = spec.template;
  const labels = instanceLabels(owner, { ...spec, port: t.port });
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
        Labels: labels,
        // Init forwards SIGTERM to the app (see container-config.ts).
        Init: true,
        StopGracePeriod: DEFAULT_STOP_GRACE_NS,
      },
      // Swarm restarts a crashed task (on its node, or elsewhere when the node is gone); a task
      // stopped by DSR (scaled to 0) is not restarted.
      RestartPolicy: { Condition: 'on-failure', Delay: RESTART_DELAY_NS, MaxAttempts: 0 },
      Networks: [{ Target: network, Aliases: [name] }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } },
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

/** The spec with `replicas` tasks (1: running, 0: stopped). */
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

// Which engine `dsr run` and `dsr plan` drive: the one place besides src/docker/ and src/swarm/
// that knows them (test/unit/runtime-boundary.test.ts keeps it so).
import type { SecretReader } from '../secrets/folder.js';
import { DockerRuntime, detectMode } from '../docker/docker-runtime.js';
import { SwarmRuntime } from '../swarm/swarm-runtime.js';
import { hostPathRootsFromEnv } from './host-paths-env.js';
import type { InternalAddress } from '../gateway/internal-address.js';
import type { LogReader, Runtime, VolumeStore } from '../runtime/runtime.js';

/** The runtimes DSR can drive. */
export const RUNTIME_KINDS = ['docker', 'swarm'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/** What `dsr run` needs of a runtime beyond Runtime: logs, and where the internal gateway listener binds. */
export type RunRuntime = Runtime & LogReader & { internalGatewayAddress(): Promise<InternalAddress> };

/** A runtime and how to describe it in the start-up line. */
export interface OpenedRuntime {
  runtime: RunRuntime;
  /** Its named volumes (`dsr volumes`): on Swarm, those on the manager DSR talks to. */
  volumes: VolumeStore;
  /** `docker: host mode`, `swarm: overlay dsr`. */
  description: string;
}

/** `--runtime` / DSR_RUNTIME as a RuntimeKind (default docker); throws naming the valid values. */
export function runtimeKind(value: string | undefined): RuntimeKind {
  if (!value) return 'docker';
  if ((RUNTIME_KINDS as readonly string[]).includes(value)) return value as RuntimeKind;
  throw new Error(`DSR_RUNTIME / --runtime must be one of ${RUNTIME_KINDS.join(', ')}, got "${value}"`);
}

/**
 * The runtime of that kind on DOCKER_HOST (else the local socket), scoped to DSR_OWNER, its
 * instances on the network DSR_NETWORK (default dsr: a bridge for Docker's network mode, an
 * attachable overlay on Swarm, whose engine must be a manager). `gatewayUrl` gives new instances
 * their DSR_GATEWAY_URL.
 */
export function openRuntime(kind: RuntimeKind, options: { gatewayUrl?: () => Promise<string | null>; secrets?: SecretReader; env?: NodeJS.ProcessEnv } = {}): OpenedRuntime {
  const env = options.env ?? process.env;
  const common = { owner: env['DSR_OWNER'] || undefined, network: env['DSR_NETWORK'] || undefined, ...(options.gatewayUrl ? { gatewayUrl: options.gatewayUrl } : {}) };
  if (kind === 'swarm') {
    const runtime = new SwarmRuntime({ ...common, ...(options.secrets ? { secrets: options.secrets } : {}) });
    return { runtime, volumes: runtime, description: `swarm: overlay ${runtime.network}` };
  }
  const mode = detectMode(env);
  // The loader checked each hostPath as text; the runtime checks where its links really lead.
  const runtime = new DockerRuntime({ mode, ...common, hostPathRoots: hostPathRootsFromEnv(env), ...(options.secrets ? { secrets: options.secrets } : {}) });
  return { runtime, volumes: runtime, description: `docker: ${mode} mode` };
}

// Which engine `dsr run` and `dsr plan` drive: the one place besides src/docker/ and src/swarm/
// that knows them (test/unit/runtime-boundary.test.ts keeps it so).
import { DockerRuntime, detectMode } from '../docker/docker-runtime.js';
import { SwarmRuntime } from '../swarm/swarm-runtime.js';
import type { LogReader, Runtime } from '../runtime/runtime.js';

/** The runtimes DSR can drive. */
export const RUNTIME_KINDS = ['docker', 'swarm'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/** A runtime and how to describe it in the start-up line. */
export interface OpenedRuntime {
  runtime: Runtime & LogReader;
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
 * The runtime of that kind on DOCKER_HOST (else the local socket), scoped to DSR_OWNER. Swarm:
 * the engine must be a swarm manager; instances join the overlay DSR_SWARM_NETWORK (default dsr).
 */
export function openRuntime(kind: RuntimeKind, env: NodeJS.ProcessEnv = process.env): OpenedRuntime {
  const owner = env['DSR_OWNER'] || undefined;
  if (kind === 'swarm') {
    const runtime = new SwarmRuntime({ owner, network: env['DSR_SWARM_NETWORK'] || undefined });
    return { runtime, description: `swarm: overlay ${runtime.network}` };
  }
  const mode = detectMode(env);
  return { runtime: new DockerRuntime({ mode, owner }), description: `docker: ${mode} mode` };
}

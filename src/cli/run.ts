// `dsr run`: the supervisor, which owns the listening socket and runs the controller and the
// gateway workers as child processes of the same bin (src/plane/supervisor.ts). The children
// start here too: the supervisor sets DSR_ROLE, and main.ts hands them to runRole() instead of
// parsing a command line. Each role's module is imported only by the process that runs it.
import { availableParallelism } from 'node:os';

export interface RunOptions {
  manifests: string;
  data: string;
  port: number;
  host: string;
  source: 'git' | 'worktree' | 'auto';
  allowEmpty: boolean;
  /** docker or swarm (DSR_RUNTIME / --runtime); unset: docker. */
  runtime?: string;
  /** A remote repository to follow instead of the local folder (SPEC §10). */
  repo: string | null;
  branch: string;
  path: string;
  poll: string;
  /** Port of the internal gateway listener (DSR_GATEWAY_URL); 0: any free port; null: no listener, no DSR_GATEWAY_URL. */
  internalPort: number | null;
  /** Gateway worker processes sharing the port (--gateway-workers, DSR_GATEWAY_WORKERS). */
  gatewayWorkers: number;
}

/** The default number of gateway workers: one per core, at most 4. */
export function defaultGatewayWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** Starts DSR and resolves (with the exit code) only when it has shut down after SIGINT/SIGTERM. */
export async function runCommand(options: RunOptions): Promise<number> {
  // Configuration errors stop `dsr run` at once, with the variable named, before any child starts.
  const [{ readNotifyConfig }, { gatewaySettingsFromEnv }, { readApiEnv }, { hostPathRootsFromEnv }] = await Promise.all([
    import('../notify/config.js'), import('../gateway/settings.js'), import('../api/api-env.js'), import('./host-paths-env.js'),
  ]);
  readNotifyConfig(process.env);
  hostPathRootsFromEnv(process.env);
  gatewaySettingsFromEnv(process.env);
  readApiEnv(process.env, options.host);
  const { runSupervisor } = await import('../plane/supervisor.js');
  return runSupervisor(options);
}

/** Runs one child process of `dsr run`: `controller` or `gateway` (DSR_ROLE), with the supervisor's options. */
export async function runRole(role: string): Promise<number> {
  const options = JSON.parse(process.env.DSR_RUN_OPTIONS ?? '{}') as RunOptions;
  if (role === 'controller') {
    // DSR_RUNTIME (--runtime) picks the engine (open-runtime.ts, the one place that knows them);
    // DSR_NETWORK: the shared network (default "dsr").
    const [{ runControllerProcess }, { openRuntime, runtimeKind }] = await Promise.all([import('../plane/controller-process.js'), import('./open-runtime.js')]);
    const kind = runtimeKind(options.runtime);
    await runControllerProcess(options, (gatewayUrl) => openRuntime(kind, { gatewayUrl }));
    // Everything is closed; the IPC channel to the supervisor would keep the process alive.
    process.exit(0);
  }
  if (role === 'gateway') {
    const { runGatewayWorker } = await import('../plane/gateway-worker.js');
    await runGatewayWorker(process.env.DSR_WORKER_ID ?? 'gateway', options.data);
    // The worker exits on its own once drained.
    return new Promise<number>(() => undefined);
  }
  throw new Error(`unknown DSR_ROLE ${JSON.stringify(role)}: expected controller or gateway`);
}

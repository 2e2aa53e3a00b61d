// The `dsr` command line (SPEC §6). Each subcommand lives in its own file; this one only parses
// arguments (commander), resolves flags against their environment variables, and maps the
// outcome to the documented exit codes: 0 ok, 1 failed check or invalid input, 2 usage error,
// 3 (`dsr plan`) changes pending.
//
// Each handler is imported only when its subcommand runs: `dsr run` pulls in dockerode, express,
// prom-client, nodemailer, chokidar and lowdb, which would otherwise cost every `dsr --help` or
// `dsr status` most of a second of start-up (bench/cli.ts measures it).
import { Command, CommanderError, Option } from 'commander';
import { DEFAULTS, VERSION } from './config.js';
import { DEFAULT_INTERNAL_PORT } from '../gateway/internal-address.js';
import { RemoteConfigError } from '../source/remote-config.js';

const stdio = { stdout: (s: string) => process.stdout.write(s + '\n'), stderr: (s: string) => process.stderr.write(s + '\n') };

function env(name: string, fallback: string): string {
  return process.env[name] && process.env[name] !== '' ? process.env[name]! : fallback;
}

const program = new Command()
  .name('dsr')
  .description('Dynamic Service Reconciler: keeps the Docker services of this host as a folder of manifests declares')
  .version(VERSION)
  // Root options only before the subcommand: `dsr logs web --version v2` is the subcommand's --version.
  .enablePositionalOptions()
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('run')
  .description('run the controller, gateway workers, API and dashboard (a supervisor process and its children)')
  .addOption(new Option('--manifests <dir>', 'manifests folder').default(env('DSR_MANIFESTS', DEFAULTS.manifests)))
  .addOption(new Option('--data <dir>', 'data folder (event log, state)').default(env('DSR_DATA', DEFAULTS.data)))
  .addOption(new Option('--port <n>', 'port of the API, gateway and dashboard').default(env('DSR_PORT', String(DEFAULTS.port))))
  .addOption(new Option('--host <addr>', 'address to listen on').default(env('DSR_HOST', DEFAULTS.host)))
  .addOption(new Option('--source <mode>', 'git: apply committed state; worktree: saved files').choices(['git', 'worktree', 'auto']).default(env('DSR_SOURCE', 'auto')))
  .option('--allow-empty', 'allow removing every service when the folder declares none', false)
  .addOption(new Option('--repo <url>', 'follow a remote repository (https, ssh, git:// or file://) instead of --manifests').default(env('DSR_REPO', '')))
  .addOption(new Option('--branch <name>', 'branch of --repo to apply').default(env('DSR_BRANCH', 'main')))
  .addOption(new Option('--path <dir>', 'manifests folder inside --repo').default(env('DSR_REPO_PATH', 'manifests')))
  .addOption(new Option('--poll <duration>', 'how often to fetch --repo (webhooks fetch at once)').default(env('DSR_POLL', '30s')))
  .addOption(new Option('--runtime <kind>', 'the engine to drive: docker (one host) or swarm (a swarm manager)').choices(['docker', 'swarm']).default(env('DSR_RUNTIME', 'docker')))
  .addOption(new Option('--internal-port <n>', 'port of the internal gateway listener that instances reach as $DSR_GATEWAY_URL ("off": none)').default(env('DSR_INTERNAL_PORT', String(DEFAULT_INTERNAL_PORT))))
  .addOption(new Option('--gateway-workers <n>', 'gateway worker processes sharing the port (default: cores, at most 4)').default(env('DSR_GATEWAY_WORKERS', '')))
  .action(async (opts: { manifests: string; data: string; port: string; host: string; source: 'git' | 'worktree' | 'auto'; allowEmpty: boolean; repo: string; branch: string; path: string; poll: string; internalPort: string; runtime: string; gatewayWorkers: string }) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CommanderError(2, 'dsr.usage', `error: --port must be a port number (0-65535), got ${JSON.stringify(opts.port)}`);
    const internalPort = opts.internalPort === 'off' ? null : Number(opts.internalPort);
    if (internalPort !== null && (!/^[0-9]{1,5}$/.test(opts.internalPort) || internalPort > 65535)) throw new CommanderError(2, 'dsr.usage', `error: --internal-port (DSR_INTERNAL_PORT) must be a port number (0-65535) or "off", got ${JSON.stringify(opts.internalPort)}`);
    const { runCommand, defaultGatewayWorkers } = await import('./run.js');
    const gatewayWorkers = opts.gatewayWorkers === '' ? defaultGatewayWorkers() : Number(opts.gatewayWorkers);
    if (!Number.isInteger(gatewayWorkers) || gatewayWorkers < 1 || gatewayWorkers > 64) throw new CommanderError(2, 'dsr.usage', `error: --gateway-workers must be a whole number from 1 to 64, got ${JSON.stringify(opts.gatewayWorkers)}`);
    try {
      process.exitCode = await runCommand({ ...opts, port, internalPort, repo: opts.repo || null, gatewayWorkers });
    } catch (error) {
      if (error instanceof RemoteConfigError) throw new CommanderError(2, 'dsr.usage', `error: ${error.message}`);
      throw error;
    }
  });

program
  .command('validate [dir]')
  .description('validate a manifests folder with the same code DSR runs; exit 1 on any error')
  .option('--json', 'machine-readable output', false)
  .action(async (dir: string | undefined, opts: { json: boolean }) => {
    const { validateCommand } = await import('./validate.js');
    process.exitCode = await validateCommand(dir ?? env('DSR_MANIFESTS', DEFAULTS.manifests), opts, stdio);
  });

program
  .command('import-compose <file>')
  .description('convert a docker compose file into one manifest per service, validate them, and list what could not be carried over; exit 1 when the output does not validate, 2 on bad input')
  .addOption(new Option('--out <dir>', 'folder for the manifests (and secrets/<service>.env)').default('manifests'))
  .action(async (file: string, opts: { out: string }) => {
    const { importComposeCommand } = await import('./import-compose.js');
    process.exitCode = await importComposeCommand(file, opts, stdio);
  });

program
  .command('plan [dir]')
  .description('print what a pass would do against the live Docker engine; exit 3 when changes are pending')
  .addOption(new Option('--source <mode>', 'git or worktree (default: git inside a work tree)').choices(['git', 'worktree', 'auto']).default('auto'))
  .addOption(new Option('--data <dir>', "DSR's data folder, whose rollout state is read (never written)").default(env('DSR_DATA', DEFAULTS.data)))
  .option('--allow-empty', 'plan removing every service when the folder declares none', false)
  .option('--json', 'machine-readable output', false)
  .action(async (dir: string | undefined, opts: { source: 'git' | 'worktree' | 'auto'; data: string; allowEmpty: boolean; json: boolean }) => {
    const { planCommand } = await import('./plan.js');
    process.exitCode = await planCommand(dir ?? env('DSR_MANIFESTS', DEFAULTS.manifests), opts, stdio);
  });

program
  .command('status [service]')
  .description('show the services of a running DSR')
  .option('--json', 'machine-readable output', false)
  .option('-w, --watch', 'keep the view live; with a service, exit 0 when its rollout completes and 1 when it aborts', false)
  .action(async (service: string | undefined, opts: { json: boolean; watch: boolean }) => {
    if (opts.watch) {
      process.exitCode = await watch(service);
      return;
    }
    const { statusCommand } = await import('./remote.js');
    process.exitCode = await statusCommand(env('DSR_URL', DEFAULTS.url), service, opts, stdio);
  });

program
  .command('rollout')
  .description('follow rollouts')
  .command('watch <service>')
  .description('show the rollout of a service live (phase, step, weights, verdicts, instances); exit 0 when it completes, 1 when it aborts')
  .action(async (service: string) => {
    process.exitCode = await watch(service);
  });

/** `dsr status --watch` / `dsr rollout watch`: Ctrl-C ends it (exit 130). */
async function watch(service: string | undefined): Promise<number> {
  const { watchCommand } = await import('./watch.js');
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const term = { tty: process.stdout.isTTY === true, write: (s: string) => process.stdout.write(s) };
  const code = await watchCommand(env('DSR_URL', DEFAULTS.url), service, stdio, term, stop.signal);
  process.off('SIGINT', abort);
  process.off('SIGTERM', abort);
  return code;
}

program
  .command('events')
  .description('show the event log of a running DSR')
  .option('--service <name>', 'only events of this service')
  .option('--kind <kind>', 'only events of this kind (a prefix ending in "." matches a family)')
  .option('--since <id>', 'only events after this id (the first --limit of them; with --follow, all of them)')
  .option('--limit <n>', 'how many of the newest events (with --since: the first after it)', '50')
  .option('-f, --follow', 'keep printing new events as DSR records them (Ctrl-C to stop)', false)
  .option('--json', 'machine-readable output (JSON Lines)', false)
  .action(async (opts: { service?: string; kind?: string; since?: string; limit: string; follow: boolean; json: boolean }) => {
    const base = env('DSR_URL', DEFAULTS.url);
    if (!opts.follow) {
      const { eventsCommand } = await import('./remote.js');
      process.exitCode = await eventsCommand(base, opts, stdio);
      return;
    }
    // Ctrl-C (or a closed pipe, as in `dsr events -f | head`) ends the stream; that is success.
    const stop = new AbortController();
    const abort = (): void => stop.abort();
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    process.stdout.on('error', abort);
    const { followCommand } = await import('./follow.js');
    process.exitCode = await followCommand(base, opts, stdio, stop.signal);
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  });

program
  .command('logs <service>')
  .description('show the logs of every instance of a service, interleaved by time (token: DSR_TOKEN, else <data>/token for a DSR on this host)')
  .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
  .option('-f, --follow', 'keep printing new lines, also from instances that start later (Ctrl-C to stop)', false)
  .option('--version <name>', 'only instances of this version')
  .option('--since <when>', 'only lines since a duration ago (10m, 2h) or an ISO time')
  .option('-n, --tail <n>', 'lines from the end of each instance\'s log (default 200; "all")')
  .option('-t, --timestamps', 'print Docker\'s timestamp on each line', false)
  .action(async (service: string, opts: { follow: boolean; version?: string; since?: string; tail?: string; timestamps: boolean; data: string }) => {
    const { logsCommand } = await import('./logs.js');
    // Ctrl-C or a closed pipe (`dsr logs -f web | head`) ends the stream; that is success.
    const stop = new AbortController();
    const abort = (): void => stop.abort();
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    process.stdout.on('error', abort);
    process.exitCode = await logsCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, service, opts, stdio, stop.signal);
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  });

const ACTION_HELP: Record<string, string> = {
  promote: 'let the rollout of a service pass its current step (--full: skip the remaining steps)',
  abort: 'abort the rollout of a service: all traffic back to the stable version',
  pause: 'pause the rollout of a service at its current step',
  resume: 'resume a paused rollout',
  retry: 'retry an aborted rollout from its first step, and actions stopped on an error a person had to fix',
};
for (const [action, description] of Object.entries(ACTION_HELP)) {
  const command = program
    .command(`${action} <service>`)
    .description(`${description} (token: DSR_TOKEN, else <data>/token for a DSR on this host)`)
    .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
    .option('--json', 'machine-readable output', false);
  if (action === 'promote') command.option('--full', 'skip all remaining steps', false);
  command.action(async (service: string, opts: { json: boolean; full?: boolean; data: string }) => {
    const { actionCommand } = await import('./remote.js');
    process.exitCode = await actionCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, action, service, opts, stdio);
  });
}

const volumesCmd = program
  .command('volumes')
  .description('list the named volumes DSR keeps for its services, and the containers using each')
  .option('--json', 'machine-readable output', false)
  .action(async (opts: { json: boolean }) => {
    const { volumesCommand } = await import('./volumes.js');
    process.exitCode = await volumesCommand(env('DSR_URL', DEFAULTS.url), opts, stdio);
  });
volumesCmd
  .command('rm <service> <name>')
  .description("remove a service's named volume and its data; refused while a container uses it (token: DSR_TOKEN, else <data>/token)")
  .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
  .action(async (service: string, name: string, opts: { data: string }) => {
    const { volumeRemoveCommand } = await import('./volumes.js');
    process.exitCode = await volumeRemoveCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, service, name, stdio);
  });

program
  .command('history <service>')
  .description('list the revisions applied to a service: commit, time, versions, result')
  .option('--json', 'machine-readable output', false)
  .action(async (service: string, opts: { json: boolean }) => {
    const { historyCommand } = await import('./history.js');
    process.exitCode = await historyCommand(env('DSR_URL', DEFAULTS.url), service, opts, stdio);
  });

program
  .command('rollback <service>')
  .description('pin a service to its manifest at an earlier revision and roll it out at once, health-gated (token: DSR_TOKEN, else <data>/token)')
  .option('--to <rev>', 'the commit to go back to (default: the last one that rolled out before the current one)')
  .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
  .option('--json', 'machine-readable output', false)
  .action(async (service: string, opts: { to?: string; json: boolean; data: string }) => {
    const { pinCommand } = await import('./history.js');
    process.exitCode = await pinCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, 'rollback', service, opts, stdio);
  });

program
  .command('unpin <service>')
  .description('end a rollback: the service follows its manifest again (token: DSR_TOKEN, else <data>/token)')
  .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
  .option('--json', 'machine-readable output', false)
  .action(async (service: string, opts: { json: boolean; data: string }) => {
    const { pinCommand } = await import('./history.js');
    process.exitCode = await pinCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, 'unpin', service, opts, stdio);
  });

program
  .command('reload')
  .description('restart the controller and the gateway workers from the code on disk, without dropping a request (token: DSR_TOKEN, else <data>/token)')
  .addOption(new Option('--data <dir>', "DSR's data folder, holding the token of a DSR started without DSR_TOKEN").default(env('DSR_DATA', DEFAULTS.data)))
  .action(async (opts: { data: string }) => {
    const { reloadCommand } = await import('./remote.js');
    process.exitCode = await reloadCommand(env('DSR_URL', DEFAULTS.url), { envToken: process.env.DSR_TOKEN || undefined, dataDir: opts.data }, stdio);
  });

// A child of `dsr run` (src/plane/supervisor.ts) is told its role by the environment.
const role = process.env.DSR_ROLE;
try {
  if (role) {
    const { runRole } = await import('./run.js');
    process.exitCode = await runRole(role);
  } else await program.parseAsync(process.argv);
} catch (error) {
  if (role && error instanceof RemoteConfigError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they exit 0.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') process.exit(0);
    if (error.code === 'dsr.usage') process.stderr.write(error.message + '\n');
    process.exit(2);
  }
  process.stderr.write(`dsr: ${(error as Error).message}\n`);
  process.exit(1);
}

// Benchmarks convergence (issue 3): N one-replica services brought up from nothing and torn down
// again by DSR, by `docker run -d` 8 at a time, and by docker compose, each waiting until every
// instance answers its health check. Then DSR's CPU use while it idles with the N services up.
// Prints a table, PASS/MISS per target, and the profile of DSR's run; exits 1 when a target is
// missed (unless --no-fail). Every contender has its own owner, names and labels, and everything
// it creates is removed at the end, also on failure or Ctrl-C.
//
//   npx tsx bench/converge.ts [--services 50] [--no-fail]
//     [--interval 1s]        health interval in DSR's manifests while converging
//     [--idle-seconds 30]    length of the idle CPU window (health interval 5s meanwhile)
//     [--concurrency N]      DSR work-queue concurrency (default: DSR's own), for profiling
//     [--store memory]       DSR state in memory instead of lowdb, for profiling
//     [--rounds 3]           rounds of all contenders, order rotated; the best of each is compared
//     [--only dsr,run,compose]
import { parseArgs } from 'node:util';
import { cleanupOwner, probeDocker, uniqueOwner } from '../test/helpers/docker.js';
import { ComposeProject, benchCompose, detectCompose, type ComposeUpDown } from './lib/compose-contender.js';
import { benchDockerRun, type UpDown } from './lib/docker-run-contender.js';
import { DsrRig, type DsrIdle, type DsrWindow } from './lib/dsr-contender.js';
import { IMAGE } from './lib/fleet.js';
import { sleep } from './lib/wait-healthy.js';
import { downProfile, idleLines, resultTable, upProfile, verdictLines, verdicts } from './lib/report.js';

const IDLE_INTERVAL = '5s';
const SETTLE_MS = 3000;
const CONTENDERS = ['dsr', 'run', 'compose'] as const;
type Contender = (typeof CONTENDERS)[number];

interface Options {
  services: number;
  fail: boolean;
  interval: string;
  idleSeconds: number;
  concurrency: number | undefined;
  rounds: number;
  store: 'lowdb' | 'memory';
  only: Set<Contender>;
}

function usage(message: string): never {
  console.error(`converge: ${message}\nusage: npx tsx bench/converge.ts [--services N] [--no-fail] [--interval 1s] [--idle-seconds 30] [--concurrency N] [--store memory] [--rounds 3] [--only dsr,run,compose]`);
  process.exit(2);
}

function positiveInt(flag: string, raw: string | undefined, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) usage(`${flag} wants a positive integer, got "${raw}"`);
  return n;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        services: { type: 'string' },
        'no-fail': { type: 'boolean' },
        interval: { type: 'string' },
        'idle-seconds': { type: 'string' },
        concurrency: { type: 'string' },
        rounds: { type: 'string' },
        store: { type: 'string' },
        only: { type: 'string' },
      },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const only = (values.only ?? CONTENDERS.join(',')).split(',').map((s) => s.trim());
  for (const c of only) if (!(CONTENDERS as readonly string[]).includes(c)) usage(`--only takes ${CONTENDERS.join(', ')}; got "${c}"`);
  const store = values.store ?? 'lowdb';
  if (store !== 'lowdb' && store !== 'memory') usage(`--store takes lowdb or memory, got "${store}"`);
  const interval = values.interval ?? '1s';
  if (!/^\d+(ms|s|m)$/.test(interval)) usage(`--interval wants a duration such as 1s or 500ms, got "${interval}"`);
  return {
    services: positiveInt('--services', values.services, 50)!,
    fail: !values['no-fail'],
    interval,
    idleSeconds: positiveInt('--idle-seconds', values['idle-seconds'], 30)!,
    concurrency: positiveInt('--concurrency', values.concurrency, undefined),
    rounds: positiveInt('--rounds', values.rounds, 3)!,
    store,
    only: new Set(only as Contender[]),
  };
}

/**
 * What must be removed if the run stops early: each contender registers its cleanup while it
 * runs; Ctrl-C runs whatever is registered, newest first.
 */
class Cleanups {
  private readonly pending = new Map<number, { what: string; run: () => Promise<void> }>();
  private nextId = 0;

  /** Runs `fn`, then `cleanup` whatever happened; `cleanup` also runs on Ctrl-C meanwhile. */
  async around<T>(what: string, cleanup: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.pending.set(id, { what, run: cleanup });
    try {
      return await fn();
    } finally {
      if (this.pending.delete(id)) await cleanup();
    }
  }

  /** Runs every registered cleanup once, reporting failures so the others still run. */
  async runAll(): Promise<void> {
    const steps = [...this.pending.values()].reverse();
    this.pending.clear();
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        console.error(`converge: cleanup of ${step.what} failed: ${(error as Error).message}`);
      }
    }
  }
}

/** One contender's rounds; the best (lowest) is what the table shows, as usual for timings on a shared host. */
interface Rounds<T extends UpDown> {
  all: T[];
}

function best<T extends UpDown>(rounds: Rounds<T>, key: keyof UpDown): T | null {
  return rounds.all.reduce<T | null>((b, r) => (b === null || r[key] < b[key] ? r : b), null);
}

function bestUpDown<T extends UpDown>(rounds: Rounds<T>): UpDown | null {
  const up = best(rounds, 'upSeconds');
  const down = best(rounds, 'downSeconds');
  return up && down ? { upSeconds: up.upSeconds, downSeconds: down.downSeconds } : null;
}

function roundsLine(label: string, rounds: Rounds<UpDown>): string {
  return `  ${label}: ${rounds.all.map((r) => `${r.upSeconds.toFixed(2)}/${r.downSeconds.toFixed(2)}`).join('  ')}`;
}

/** A DSR round: its up/down and the windows behind them for the profile. */
interface DsrRound extends UpDown {
  up: DsrWindow;
  down: DsrWindow;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const probe = await probeDocker();
  if (!probe.ok) throw new Error(probe.reason);
  const docker = probe.docker;
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    throw new Error(`image ${IMAGE} is missing; build it with scripts/build-test-images.sh (there is no registry to pull from)`);
  }
  const compose = options.only.has('compose') ? await detectCompose() : null;
  const engine = (await docker.version()).Version;
  console.log(`converge: ${options.services} services x 1 replica of ${IMAGE}, Docker ${engine}, ${compose?.version ?? 'compose not run'}, ` +
    `${options.rounds} round(s), DSR health interval ${options.interval}${options.concurrency ? `, DSR concurrency ${options.concurrency}` : ''}${options.store === 'memory' ? ', DSR state in memory' : ''}`);

  const cleanups = new Cleanups();
  const interrupt = (signal: NodeJS.Signals): void => {
    console.error(`converge: ${signal}, removing what the benchmark created`);
    void cleanups.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const dsr: Rounds<DsrRound> = { all: [] };
  const run: Rounds<UpDown> = { all: [] };
  const composed: Rounds<ComposeUpDown> = { all: [] };
  // An object, not a `let`: it is set inside a contender, and TypeScript would narrow a `let` to null here.
  const measured: { idle: DsrIdle | null } = { idle: null };
  const contenders: Record<Contender, () => Promise<void>> = {
    dsr: async () => {
      const rig = new DsrRig({ owner: uniqueOwner('bd'), services: options.services, interval: options.interval, concurrency: options.concurrency, store: options.store });
      await cleanups.around('DSR', () => rig.dispose(), async () => {
        const up = await rig.up();
        if (!measured.idle) {
          log(`DSR up in ${up.seconds.toFixed(2)} s; idle CPU over ${options.idleSeconds} s`);
          await rig.retune(IDLE_INTERVAL);
          measured.idle = await rig.idle(options.idleSeconds, IDLE_INTERVAL);
        }
        const down = await rig.down();
        dsr.all.push({ upSeconds: up.seconds, downSeconds: down.seconds, up, down });
      });
    },
    run: async () => {
      const owner = uniqueOwner('br');
      await cleanups.around('docker run', () => cleanupOwner(owner, docker), async () => {
        run.all.push(await benchDockerRun(docker, owner, options.services));
      });
    },
    compose: async () => {
      const owner = uniqueOwner('bc');
      const project = await ComposeProject.create(compose!, owner, options.services);
      const cleanup = async (): Promise<void> => {
        try {
          await project.dispose(docker);
        } finally {
          await cleanupOwner(owner, docker);
        }
      };
      await cleanups.around('compose', cleanup, async () => {
        composed.all.push(await benchCompose(docker, project, options.services));
      });
    },
  };
  const order = CONTENDERS.filter((c) => options.only.has(c));
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order each round so no contender always runs first on a rested engine.
    for (const name of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
      log(`round ${round + 1}/${options.rounds}: ${name}`);
      await contenders[name]();
      // The engine finishes some teardown (network namespaces, proxies) after the API returned;
      // a pause keeps that from being billed to the next contender.
      await sleep(SETTLE_MS);
    }
  }

  const table = { dsr: bestUpDown(dsr), run: bestUpDown(run), compose: bestUpDown(composed) };
  const composeLabel = compose ? `${compose.version} (down -t 0)` : 'compose';
  console.log(`\nbest of ${options.rounds} round(s), seconds\n${resultTable({ ...table, composeLabel })}`);
  console.log(`\nevery round, up/down seconds`);
  if (dsr.all.length) console.log(roundsLine('DSR', dsr));
  if (run.all.length) console.log(roundsLine('docker run', run));
  if (composed.all.length) {
    const retried = composed.all.filter((r) => r.downAttempts > 1).length;
    const left = composed.all.filter((r) => r.networkLeft).length;
    const notes = [retried ? `down failed and was repeated in ${retried} round(s)` : '', left ? `the engine kept the network in ${left}` : ''].filter(Boolean);
    console.log(`${roundsLine('compose', composed)}${notes.length ? `  (${notes.join('; ')})` : ''}`);
  }
  const idle = measured.idle;
  if (idle) console.log(`\nidle CPU\n${idleLines(idle, options.services)}`);
  const bestUp = best(dsr, 'upSeconds');
  const bestDown = best(dsr, 'downSeconds');
  if (bestUp) console.log(`\nDSR up profile (best round)\n${upProfile(bestUp.up)}`);
  if (bestDown) console.log(`\nDSR down profile (best round)\n${downProfile(bestDown.down)}`);
  const list = verdicts(table.dsr, table.run, table.compose, idle);
  console.log(`\ntargets\n${verdictLines(list)}`);
  if (list.some((v) => !v.pass) && options.fail) process.exitCode = 1;
}

function log(message: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
}

main().catch((error: unknown) => {
  console.error(`converge: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});

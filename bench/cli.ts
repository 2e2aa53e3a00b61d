// Benchmarks the start-up of the `dsr` command (issue 10): `dsr --help`, `dsr validate manifests`
// and `dsr status` (against a DSR this benchmark starts on a free port, with an empty manifests
// folder of its own and its own owner, so it touches no container) beside `docker ps`, the
// command people compare it with, and `node -e 0`, the floor any Node.js command pays.
// Each command runs --runs times, alternating, so load from other work hits all of them alike;
// the median wall time and user+sys CPU time are printed, with ratios to `docker ps` and the
// target (under 0.3 s). Runs what users run: bin/dsr.js on the compiled dist/ (built first when
// it is missing). Exits 1 when a median wall time misses the target, unless --no-fail.
//
//   npx tsx bench/cli.ts [--runs 15] [--no-fail]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, startDsr } from '../test/helpers/dsr-process.js';

const TARGET_MS = 300;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'dsr.js');

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Runs one command to completion: wall time seen from here, CPU time from the shell's `times`. */
function measure(file: string, args: string[], env: NodeJS.ProcessEnv): Sample {
  const start = process.hrtime.bigint();
  // /usr/bin/time is not everywhere; bash's `times` builtin reports its children's CPU time.
  const result = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bench', file, ...args], { env, encoding: 'utf8', cwd: root });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  // `times` prints two lines: the shell's own user/sys, then its children's.
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallMs, cpuMs: (seconds[0] ?? 0) * 1000 + (seconds[1] ?? 0) * 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, 'no-fail': { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  if (!existsSync(join(root, 'dist', 'cli', 'main.bundle.js'))) {
    console.log('dist/ is missing: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'dsr-bench-cli-'));
  const port = await freePort();
  const env = { ...process.env, DSR_FROM_SOURCES: '', DSR_URL: `http://127.0.0.1:${port}` };
  const dsr = await startDsr(['--manifests', dir, '--data', join(dir, 'data'), '--source', 'worktree'], { DSR_OWNER: `bench-cli-${process.pid}` }, port);
  try {
    const commands: Array<[string, string, string[]]> = [
      ['node -e 0', process.execPath, ['-e', '0']],
      ['docker ps', 'docker', ['ps']],
      ['dsr --help', process.execPath, [bin, '--help']],
      ['dsr validate manifests', process.execPath, [bin, 'validate', 'manifests']],
      ['dsr status', process.execPath, [bin, 'status']],
    ];
    for (const [name, file, args] of commands) {
      const check = spawnSync(file, args, { env, cwd: root, encoding: 'utf8' });
      if (check.status !== 0) throw new Error(`${name} failed (${check.status}): ${check.stderr}`);
    }
    const samples = new Map<string, Sample[]>(commands.map(([name]) => [name, []]));
    for (let i = 0; i < runs; i++) for (const [name, file, args] of commands) samples.get(name)!.push(measure(file, args, env));

    const docker = median(samples.get('docker ps')!.map((s) => s.wallMs));
    const floor = median(samples.get('node -e 0')!.map((s) => s.wallMs));
    // The load says how far wall times are from an idle machine's; the ratio to `node -e 0` hardly moves with it.
    console.log(`CLI start-up, median of ${runs} runs (wall and user+sys CPU), ratios of wall times; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores:`);
    console.log(`${'command'.padEnd(24)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)} ${'x docker ps'.padStart(12)} ${'x node -e 0'.padStart(12)}  target`);
    let missed = 0;
    for (const [name] of commands) {
      const wall = median(samples.get(name)!.map((s) => s.wallMs));
      const cpu = median(samples.get(name)!.map((s) => s.cpuMs));
      const isDsr = name.startsWith('dsr');
      const verdict = isDsr ? (wall < TARGET_MS ? `PASS (< ${TARGET_MS} ms)` : `MISS (< ${TARGET_MS} ms)`) : '';
      if (isDsr && wall >= TARGET_MS) missed++;
      console.log(`${name.padEnd(24)} ${wall.toFixed(0).padStart(5)} ms ${cpu.toFixed(0).padStart(5)} ms ${(wall / docker).toFixed(2).padStart(11)}x ${(wall / floor).toFixed(2).padStart(11)}x  ${verdict}`);
    }
    if (missed > 0 && !values['no-fail']) process.exitCode = 1;
  } finally {
    await dsr.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

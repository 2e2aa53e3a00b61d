#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx), optionally limited to
// the folders or files given as arguments. Node 20's --test takes no globs, so we list the files.
//
// Lanes. Each file runs in its own process, one file at a time per lane. The main lane holds the
// Docker-bound files, which spend most of their time waiting on containers, timers and canary
// windows. When a run has both kinds, a second lane runs beside it: test/unit/ (no Docker, no
// fixed port) and the files listed in BESIDE below (node --test runs a lane's files in path
// order). On CI's 2 cores the two lanes take about as long each (measured: main 896 s beside 402 s,
// before the three swarm integration files, ~300 s, moved beside). A file that stops
// the machine's dockerd (ALONE) runs last, after both lanes.
// The log stays one spec-reporter stream: the main lane printed live, then the second lane's
// output, then the ALONE files', and each process's own `ℹ tests|pass|fail …` summary is replaced
// by ONE summary of the whole run in the same format, so a reader of node's output sees the
// totals. The exit code is non-zero when any lane fails. DSR_TEST_SERIAL=1 runs everything in one
// process instead, as before.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { spawn } from 'node:child_process';

// Beside the main lane, with test/unit/: files that need no engine or make only light, quiet use
// of it. Each suite works under its own owner label, so it never sees another's containers. The
// rule: no load generator, no time bound tighter than 2 s, ports from the kernel (listen on 0).
// Left in the main lane on purpose: api-auth (a 250 ms bound), notify-webhook (a 20 ms bound),
// health-prober (a 1.5 s window), gateway-hostile (500 slow clients against 300 ms timeouts),
// docker-exec (exec deadlines), and every file with traffic under load. A new file runs in the
// main lane until it is added here.
const BESIDE = [
  // no Docker engine
  'test/e2e/import-compose.test.ts',
  'test/integration/api-events-large.test.ts',
  'test/integration/api-events.test.ts',
  'test/integration/api-host-check.test.ts',
  'test/integration/gateway-failures.test.ts',
  'test/integration/gateway-routing.test.ts',
  'test/integration/gateway-safety.test.ts',
  'test/integration/gateway-streaming.test.ts',
  'test/integration/gateway-websocket.test.ts',
  'test/integration/manifest-source.test.ts',
  'test/integration/notify-chat.test.ts',
  'test/integration/notify-email.test.ts',
  // Docker, quietly: a few containers, waits on conditions and "nothing happens for N s" windows
  'test/integration/adoption-previous-release.test.ts',
  'test/integration/cli-logs.test.ts',
  'test/integration/docker-runtime.test.ts',
  'test/integration/example-service.test.ts',
  'test/integration/host-path-symlink.test.ts',
  'test/integration/metrics.test.ts',
  'test/integration/runtime-contract-docker.test.ts',
  'test/integration/secrets.test.ts',
  'test/integration/stack-container-fields.test.ts',
  // only lower time bounds ("not healthy before…"), which contention cannot break
  'test/integration/stack-workers.test.ts',
  'test/integration/terminal-errors.test.ts',
  'test/integration/worker.test.ts',
  // a second dockerd of their own (a one-node swarm on its own bridge and loopback address,
  // test/helpers/swarm-engine.ts), no load, health probes held (1 h intervals) or none
  'test/integration/runtime-contract-swarm.test.ts',
  'test/integration/swarm-secrets.test.ts',
  'test/integration/swarm-slots.test.ts',
];
// After both lanes, by itself: it stops and starts the machine's dockerd (with
// DSR_TEST_DOCKERD_RESTART=1), which nothing else may see.
const ALONE = ['test/integration/docker-restart.test.ts'];

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const files = (roots.length ? roots : ['test']).flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' ') || 'test');
  process.exit(1);
}

const unitFolder = join('test', 'unit') + sep;
const local = (file) => relative(process.cwd(), resolve(file));
const listed = (list) => new Set(list.map((f) => join(...f.split('/'))));
const beside = listed(BESIDE);
const alone = listed(ALONE);
const besideFiles = files.filter((f) => local(f).startsWith(unitFolder) || beside.has(local(f)));
const aloneFiles = files.filter((f) => alone.has(local(f)));
const mainFiles = files.filter((f) => !besideFiles.includes(f) && !aloneFiles.includes(f));
// DSR_FROM_SOURCES: every `dsr` a test spawns (bin/dsr.js) runs src/ through tsx, the code
// under test, never a dist/ that may be older.
const env = { ...process.env, DSR_FROM_SOURCES: process.env.DSR_FROM_SOURCES ?? '1' };
const nodeArgs = (list) => ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...passThrough, ...list];

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

/** Runs one `node --test` over `list`; resolves to its exit code (1 when killed by a signal). */
function runLane(list, stdio, onStdout, onStderr) {
  return new Promise((done) => {
    const child = spawn(process.execPath, nodeArgs(list), { stdio, env });
    children.add(child);
    child.stdout?.setEncoding('utf8').on('data', onStdout);
    child.stderr?.setEncoding('utf8').on('data', onStderr);
    child.on('error', (error) => {
      console.error(`run-tests: could not start node --test: ${error.message}`);
      done(1);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (signal) console.error(`run-tests: node --test was killed by ${signal}`);
      done(code ?? 1);
    });
  });
}

if (process.env.DSR_TEST_SERIAL === '1' || besideFiles.length === 0 || mainFiles.length + aloneFiles.length === 0) {
  const code = await runLane(files, 'inherit');
  process.exit(code);
}

// The summary lines node's spec reporter ends with, e.g. `ℹ tests 2215`; children write to a pipe,
// so there are no colour codes, but strip any a FORCE_COLOR in the environment may have added.
const SUMMARY = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d+(?:\.\d+)?)$/;
const COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];
const plain = (line) => line.replace(/\x1b\[[0-9;]*m/g, '');

/** A line splitter that passes every line on except the summary ones, whose numbers it adds up. */
function summaryFilter(totals, emit) {
  let rest = '';
  const line = (text) => {
    const m = SUMMARY.exec(plain(text));
    if (m && m[1] !== 'duration_ms') totals[m[1]] = (totals[m[1]] ?? 0) + Number(m[2]);
    else if (!m) emit(`${text}\n`);
  };
  return {
    push(chunk) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const text of lines) line(text);
    },
    end() {
      if (rest) line(rest);
      rest = '';
    },
  };
}

/** Runs a lane whose output is printed as it comes (stderr straight through), summary withheld. */
async function runLive(list) {
  const totals = {};
  const out = summaryFilter(totals, (text) => process.stdout.write(text));
  const t0 = Date.now();
  const code = await runLane(list, ['ignore', 'pipe', 'inherit'], (c) => out.push(c));
  out.end();
  return { files: list.length, code, totals, seconds: (Date.now() - t0) / 1000 };
}

/** Runs a lane whose output (stdout and stderr) is kept until `print` is called. */
function runBuffered(list) {
  const totals = {};
  let log = '';
  const out = summaryFilter(totals, (text) => (log += text));
  const t0 = Date.now();
  return runLane(list, ['ignore', 'pipe', 'pipe'], (c) => out.push(c), (c) => (log += c)).then((code) => {
    out.end();
    return { files: list.length, code, totals, seconds: (Date.now() - t0) / 1000, print: () => process.stdout.write(log) };
  });
}

const started = Date.now();
const besideRun = runBuffered(besideFiles);
const main = mainFiles.length ? await runLive(mainFiles) : null;
const side = await besideRun;
side.print();
const last = aloneFiles.length ? await runLive(aloneFiles) : null;
const runs = [main, side, last].filter((r) => r !== null);
const describe = (name, r) => (r ? `${name}: ${r.files} files, ${r.totals.tests ?? '?'} tests, ${r.seconds.toFixed(1)} s, exit ${r.code}` : null);
console.log(`run-tests: ${[describe('main lane', main), describe('beside it', side), describe('then alone', last)].filter(Boolean).join('; ')}`);
for (const key of COUNTS) console.log(`ℹ ${key} ${runs.reduce((sum, r) => sum + (r.totals[key] ?? 0), 0)}`);
console.log(`ℹ duration_ms ${Date.now() - started}`);
// A lane that printed no summary (it crashed) fails the run even if its exit code said otherwise.
process.exit(runs.every((r) => r.code === 0 && r.totals.tests !== undefined) ? 0 : 1);

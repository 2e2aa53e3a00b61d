#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx), optionally limited to
// the folders or files given as arguments. Node 20's --test takes no globs, so we list the files.
//
// Two lanes. The files under test/unit/ touch no Docker engine and hold no fixed port; neither do
// the few others in ENGINE_FREE below. When a run has both kinds, those run in a second
// `node --test` process beside the Docker-bound files, which spend most of their time waiting on
// containers and timers (on CI's 2 cores this saves ~110 s: the unit files' ~80 s, mostly one tsx
// start-up per file, and ~30 s of the others). Each lane runs one file at a time, as before.
// The log stays one spec-reporter stream: the Docker lane is printed live, the other lane's output
// after it, and each lane's own `ℹ tests|pass|fail …` summary is replaced by ONE summary of both,
// in the same format, so a reader of node's output sees the totals of the whole run. The exit code
// is non-zero when either lane fails. DSR_TEST_SERIAL=1 runs everything in one process instead.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { spawn } from 'node:child_process';

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
// Files outside test/unit/ that may run beside the Docker-bound ones too: real HTTP, git and
// child processes but no Docker engine, ports from the kernel (listen on 0), and no time bound
// tighter than 2 s. Left out on purpose, though they need no engine: api-auth (a 250 ms bound),
// notify-webhook (a 20 ms bound), health-prober (a 1.5 s window), gateway-hostile (500 slow
// clients against 300 ms timeouts). A new file runs with the Docker-bound ones until added here.
const ENGINE_FREE = new Set([
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
].map((f) => join(...f.split('/'))));
const runsBeside = (file) => {
  const path = relative(process.cwd(), resolve(file));
  return path.startsWith(unitFolder) || ENGINE_FREE.has(path);
};
const besideFiles = files.filter(runsBeside);
const dockerFiles = files.filter((f) => !runsBeside(f));
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

/** Runs one lane; resolves to its exit code (1 when killed by a signal). */
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

if (process.env.DSR_TEST_SERIAL === '1' || besideFiles.length === 0 || dockerFiles.length === 0) {
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

const started = Date.now();
const totals = {};
const besideTotals = {};
const dockerTotals = {};
let besideLog = '';
const besideOut = summaryFilter(besideTotals, (text) => (besideLog += text));
const dockerOut = summaryFilter(dockerTotals, (text) => process.stdout.write(text));
let besideSeconds = 0;
const besideLane = runLane(besideFiles, ['ignore', 'pipe', 'pipe'], (c) => besideOut.push(c), (c) => (besideLog += c)).then((code) => {
  besideSeconds = (Date.now() - started) / 1000;
  return code;
});
const dockerCode = await runLane(dockerFiles, ['ignore', 'pipe', 'inherit'], (c) => dockerOut.push(c));
const dockerSeconds = (Date.now() - started) / 1000;
dockerOut.end();
const besideCode = await besideLane;
besideOut.end();
process.stdout.write(besideLog);
for (const key of COUNTS) totals[key] = (besideTotals[key] ?? 0) + (dockerTotals[key] ?? 0);
console.log(
  `run-tests: ${dockerFiles.length} files in the main lane (${dockerTotals.tests ?? '?'} tests) in ${dockerSeconds.toFixed(1)} s, beside them ` +
    `${besideFiles.length} files that need no Docker engine (${besideTotals.tests ?? '?'} tests) in ${besideSeconds.toFixed(1)} s; exit codes ${dockerCode} and ${besideCode}`,
);
for (const key of COUNTS) console.log(`ℹ ${key} ${totals[key]}`);
console.log(`ℹ duration_ms ${Date.now() - started}`);
// A lane that printed no summary (it crashed) fails the run even if its exit code said otherwise.
const complete = besideTotals.tests !== undefined && dockerTotals.tests !== undefined;
process.exit(dockerCode === 0 && besideCode === 0 && complete ? 0 : 1);

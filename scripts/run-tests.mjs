#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx), optionally limited to
// the folders or files given as arguments. Node 20's --test takes no globs, so we list the files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...passThrough, ...files],
  // DSR_FROM_SOURCES: every `dsr` a test spawns (bin/dsr.js) runs src/ through tsx, the code
  // under test, never a dist/ that may be older.
  { stdio: 'inherit', env: { ...process.env, DSR_FROM_SOURCES: process.env.DSR_FROM_SOURCES ?? '1' } },
);
process.exit(result.status ?? 1);

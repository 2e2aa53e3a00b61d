#!/usr/bin/env node
// Entry point of the `dsr` command. Runs the compiled CLI in dist/, which `npm install` and
// `npm ci` build (the `prepare` script) and `npm run build` refreshes; tsx is never loaded then,
// so a command answers in a fraction of a second. Runs the TypeScript sources through tsx when
// dist/ is absent or DSR_FROM_SOURCES=1 (the test suite sets it, so tests exercise the sources
// being edited, never a stale build).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.bundle.js');
if (process.env.DSR_FROM_SOURCES !== '1' && existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const tsx = await import('tsx/esm/api').catch(() => null);
  if (!tsx) {
    process.stderr.write(`dsr: ${compiled} is missing and tsx (a dev dependency) is not installed: run \`npm install\` or \`npm run build\` in ${root}\n`);
    process.exit(1);
  }
  tsx.register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}

#!/usr/bin/env node
// `npm run build` (and `prepare`, on every `npm install` / `npm ci` in a clone): compiles src/ to
// dist/ in three steps.
//   1. tsc: every module, type-checked, for `dsr run` and `dsr plan` (and anyone importing DSR).
//   2. the dashboard's page (HTML, CSS, JS read at run time) beside its compiled module.
//   3. esbuild: dist/cli/main.bundle.js, the entry bin/dsr.js runs, and a chunk per command
//      family: the CLI front (argument parsing, validate, status, events, the gates) in a few files. Node 20 spends most of a short
//      command's start-up resolving and linking ES modules one file at a time, so a few files answer
//      `dsr --help`, `dsr validate` or `dsr status` about twice as fast. `run.js` and `plan.js` stay
//      outside it (external): they load dockerode, express and the rest, only when those commands
//      run, from the tsc output beside the bundle.
// Usage: node scripts/build.mjs [outDir]   (default dist; scripts/build-dsr-image.sh passes its own)
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? resolve(root, 'dist'));
const require = createRequire(import.meta.url);

const tsc = spawnSync(process.execPath, [resolve(dirname(require.resolve('typescript/package.json')), 'bin/tsc'), '-p', resolve(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

cpSync(resolve(root, 'src/api/dashboard'), resolve(out, 'api/dashboard'), { recursive: true });

// Bundled: the small pure packages of the CLI front (yaml alone is some 60 files). Every other
// package stays external, loaded from node_modules as usual.
const bundled = new Set(['commander', 'yaml', 'ms']);
const { dependencies } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).filter((name) => !bundled.has(name)).flatMap((name) => [name, `${name}/*`]);

// Chunk names carry a content hash: remove the previous build's, or dist/cli/ collects them.
const cliOut = resolve(out, 'cli');
if (existsSync(cliOut)) for (const name of readdirSync(cliOut)) if (name.includes('.bundle')) rmSync(resolve(cliOut, name));

const { build } = await import('esbuild');
await build({
  entryPoints: [resolve(root, 'src/cli/main.ts')],
  // One chunk per command family beside the entry, all in dist/cli/: ES imports are hoisted, so
  // without splitting `dsr --help` would load yaml for validate. The same folder as the tsc output
  // keeps `../../package.json` and `../../schemas/` (read at run time) resolving to the root.
  outdir: cliOut,
  entryNames: '[name].bundle',
  chunkNames: 'chunk.bundle-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['./run.js', './plan.js', ...external],
  // The bundled CommonJS packages require Node's built-ins; an ES module has no `require`.
  banner: { js: "import { createRequire as __dsrRequire } from 'node:module'; const require = __dsrRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});

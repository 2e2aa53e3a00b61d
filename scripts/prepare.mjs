#!/usr/bin/env node
// npm's `prepare` hook: `npm install` and `npm ci` in a clone compile src/ to dist/, so the `dsr`
// command (bin/dsr.js) starts from JavaScript instead of compiling TypeScript through tsx on every
// run. Skipped, with a note, where there is nothing to build or nothing to build with: an install
// of the production dependencies only (no typescript), or a Docker build stage that installs
// before copying the sources (it runs `npm run build` itself).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const missing = ['src/cli/main.ts', 'tsconfig.build.json', 'node_modules/typescript/package.json'].filter((f) => !existsSync(`${root}/${f}`));
if (missing.length > 0) {
  console.log(`dsr prepare: not building dist/ (missing ${missing.join(', ')}); bin/dsr.js will run the sources through tsx if they are there`);
  process.exit(0);
}
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const result = spawnSync(npm[0], [...npm[1], 'run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);

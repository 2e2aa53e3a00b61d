// The core must not know which runtime it drives (issue 16): only the wiring in src/cli/ picks
// one, and only src/docker/ and src/swarm/ speak to an engine. Reads every import of src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const ENGINE_FOLDERS = ['docker', 'swarm'];
/** The command wiring that chooses a runtime (for `dsr run` and `dsr plan`); everything else sees src/runtime/ only. */
const WIRING = new Set(['cli/open-runtime.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function engineImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
    const target = relative(SRC, normalize(join(dirname(file), m[1] ?? m[2]!)));
    if (ENGINE_FOLDERS.includes(target.split('/')[0]!)) found.push(target);
  }
  return found;
}

test('the core imports nothing from src/docker/ or src/swarm/ (only the command wiring picks a runtime)', () => {
  const offenders: string[] = [];
  for (const file of sources(SRC)) {
    const own = relative(SRC, file);
    if (ENGINE_FOLDERS.includes(own.split('/')[0]!) || WIRING.has(own)) continue;
    for (const target of engineImports(file)) offenders.push(`${own} imports ${target}`);
  }
  assert.deepEqual(offenders, []);
});

test('the boundary check sees an engine import when there is one', () => {
  // Guards the check itself: the wiring does import both runtimes.
  const imports = engineImports(join(SRC, 'cli/open-runtime.ts'));
  assert.ok(imports.some((t) => t.startsWith('docker/')) && imports.some((t) => t.startsWith('swarm/')), imports.join(', '));
});

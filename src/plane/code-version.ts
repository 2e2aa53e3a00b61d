// Which code a process of `dsr run` runs, for the `dsr.reloaded` event: package.json's version,
// plus `git describe` of the installation when it is a git checkout (an upgrade between two
// commits of one version is then visible too). Read once, when the process starts.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../cli/config.js';

// Two folders below the root, from src/plane/ and from dist/plane/ alike.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** e.g. "0.1.0 (a9bff66-dirty)", or "0.1.0" outside a git checkout (DSR's image). */
export function codeVersion(): string {
  try {
    const described = execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty', '--tags'], { encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return described ? `${VERSION} (${described})` : VERSION;
  } catch {
    return VERSION;
  }
}

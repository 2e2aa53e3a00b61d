// `dsr import-compose FILE [--out DIR]`: converts a compose file (src/compose/, pure), writes one
// manifest per service and the secret env files, validates what it wrote with the loader `dsr
// validate` uses, and lists what could not be carried over. Exit 0 ok, 1 the output does not
// validate, 2 bad input (unreadable, not YAML, not a compose file, a file already there).
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ComposeInputError, parseComposeFile } from '../compose/compose-file.js';
import { convertCompose } from '../compose/convert.js';
import { loadManifests } from '../manifest/load.js';
import { formatManifestError } from '../manifest/service-spec.js';
import { hostPathRootsFromEnv } from './host-paths-env.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** An env_file is read only when it is a regular file of at most this size (not /dev/zero, not a log). */
const ENV_FILE_MAX_BYTES = 1024 * 1024;

/**
 * Reads an env_file the converter asks for: null unless its real path (links followed) is still in
 * `folder` and it is a regular file of at most ENV_FILE_MAX_BYTES. The converter checks the path
 * as written; a link in the folder to ~/.aws or /proc/self/environ is caught here.
 */
function envFileReader(folder: string): (path: string) => string | null {
  const realFolder = (() => {
    try {
      return realpathSync(folder);
    } catch {
      return null;
    }
  })();
  return (path) => {
    try {
      const real = realpathSync(path);
      if (realFolder === null || !real.startsWith(`${realFolder === '/' ? '' : realFolder}/`)) return null;
      const info = statSync(real);
      if (!info.isFile() || info.size > ENV_FILE_MAX_BYTES) return null;
      return readFileSync(real, 'utf8');
    } catch {
      return null;
    }
  };
}

/** Runs the command; never throws for bad input (exit 2 with a message instead). */
export async function importComposeCommand(file: string, opts: { out: string }, out: Out, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const text = readOrNull(file);
  if (text === null) return (out.stderr(`cannot read ${file}: give the path of a compose file (docker-compose.yml)`), 2);
  let roots: string[];
  try {
    roots = hostPathRootsFromEnv(env);
  } catch (error) {
    return (out.stderr((error as Error).message), 2);
  }
  let compose;
  try {
    compose = parseComposeFile(text);
  } catch (error) {
    if (error instanceof ComposeInputError) return (out.stderr(`${file}: ${error.message}`), 2);
    throw error;
  }
  const composeDir = dirname(resolve(file));
  const { services, notCarried } = convertCompose(compose, { composeDir, readFile: envFileReader(composeDir) });
  const outDir = resolve(opts.out);
  const manifestPath = (name: string): string => join(outDir, `${name}.yaml`);
  const secretPath = (name: string): string => join(outDir, 'secrets', `${name}.env`);
  const targets = services.flatMap((s) => [manifestPath(s.name), ...(s.secret ? [secretPath(s.secret.name)] : [])]);
  const existing = targets.filter((p) => existsSync(p));
  if (existing.length > 0) return (out.stderr(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: remove, or choose another --out folder`), 2);

  await mkdir(outDir, { recursive: true });
  const written = [];
  for (const s of services) {
    const header = `# Converted from ${file} (service "${s.compose}") by dsr import-compose; see its list of what was not carried over.\n`;
    const yaml = header + stringify(s.manifest, { lineWidth: 0 });
    await writeFile(manifestPath(s.name), yaml);
    written.push({ path: `${s.name}.yaml`, content: Buffer.from(yaml) });
    if (!s.secret) continue;
    await mkdir(join(outDir, 'secrets'), { recursive: true, mode: 0o700 });
    // Values never belong in git: the folder ignores itself.
    await writeFile(join(outDir, 'secrets', '.gitignore'), '*\n');
    await writeFile(secretPath(s.secret.name), s.secret.content, { mode: 0o600 });
    await chmod(secretPath(s.secret.name), 0o600);
  }

  out.stdout(`wrote ${services.length} manifest${services.length === 1 ? '' : 's'} to ${outDir}: ${services.map((s) => `${s.name}.yaml`).join(', ')}`);
  for (const s of services) {
    if (s.secret) out.stdout(`secret ${s.secret.name}: copy ${secretPath(s.secret.name)} to <DSR_SECRETS>/${s.secret.name}.env (default <data>/secrets/) and keep it out of git`);
  }
  if (notCarried.length > 0) {
    out.stdout(`not carried over (${notCarried.length}):`);
    for (const line of notCarried) out.stdout(`  ${line}`);
  }
  const result = loadManifests(written, { hostPathRoots: roots });
  if (result.errors.length === 0) {
    out.stdout(`${result.services.length} manifest${result.services.length === 1 ? '' : 's'} valid (checked by the loader dsr validate and dsr run use)`);
    return 0;
  }
  for (const e of result.errors) out.stderr(formatManifestError({ ...e, file: join(opts.out, e.file) }));
  if (result.errors.some((e) => e.path.endsWith('.hostPath'))) out.stderr('bind mounts became hostPath volumes: set DSR_HOST_PATHS to the folders DSR may mount (dsr run reads it too), then dsr validate again');
  out.stderr(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in what was written: fix the manifests by hand`);
  return 1;
}

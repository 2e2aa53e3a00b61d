// `dsr validate [DIR]`: loads the manifests folder with exactly the code `dsr run` uses and
// reports every problem, so a pre-commit hook or CI job sees what DSR would see.
import { posix } from 'node:path';
import { formatManifestError } from '../manifest/service-spec.js';
import type { ManifestError } from '../manifest/service-spec.js';
import { loadManifests } from '../manifest/load.js';
import { hostPathRootsFromEnv } from './host-paths-env.js';
import { ManifestFolderError, readManifestFolder } from '../source/read-folder.js';

/** Where the command writes; each call is one line (the caller adds the newline). */
export interface ValidateOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Error paths relative to the current folder (`manifests/web.yaml`), so editors can jump to them. */
function withDir(dir: string, e: ManifestError): ManifestError {
  return { ...e, file: posix.join(dir.replace(/\\/g, '/'), e.file) };
}

/** Validates `dir`; exit code 0 all valid, 1 any invalid file, 2 the folder does not exist or DSR_HOST_PATHS is malformed. */
export async function validateCommand(dir: string, opts: { json: boolean }, out: ValidateOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let files;
  try {
    files = await readManifestFolder(dir);
  } catch (err) {
    if (!(err instanceof ManifestFolderError)) throw err;
    if (opts.json) out.stdout(JSON.stringify({ ok: false, services: [], errors: [{ file: dir, line: 0, column: 0, path: '', message: err.message }] }));
    else out.stderr(err.message);
    return 2;
  }
  let hostPathRoots: string[];
  try {
    hostPathRoots = hostPathRootsFromEnv(env);
  } catch (err) {
    if (opts.json) out.stdout(JSON.stringify({ ok: false, services: [], errors: [{ file: '', line: 0, column: 0, path: '', message: (err as Error).message }] }));
    else out.stderr((err as Error).message);
    return 2;
  }
  const result = loadManifests(files, { hostPathRoots });
  const errors = result.errors.map((e) => withDir(dir, e));
  const services = result.services.map((s) => s.name);
  const ok = errors.length === 0;
  if (opts.json) {
    out.stdout(JSON.stringify({ ok, services, errors }, null, 2));
    return ok ? 0 : 1;
  }
  for (const e of errors) out.stderr(formatManifestError(e));
  if (ok) {
    out.stdout(`${plural(services.length, 'service')} valid in ${plural(result.fileCount, 'file')}`);
    return 0;
  }
  out.stderr(`${plural(errors.length, 'error')} in ${plural(result.failedFiles.length, 'file')}`);
  return 1;
}

// Loads the whole manifests folder as one unit: every file on its own (one bad file never
// hides errors in, or stops the loading of, another), then the rules that span files
// (service names unique across the folder). Pure: the bytes come from src/source/.
import type { FailedFile, LoadResult, ManifestError, ServiceSpec } from './service-spec.js';
import { MAX_ERRORS_PER_FILE } from './limits.js';
import { loadManifestFile } from './load-file.js';
import type { FileLoad, ManifestFile } from './load-file.js';
import { dependencyProblems } from './dependencies.js';
import type { LoadOptions } from './stack-checks.js';

export type { LoadOptions } from './stack-checks.js';

/** One file to load: its bytes, or the reader's reason it could not be read. */
export type { ManifestFile } from './load-file.js';

function loadSafely(file: ManifestFile, options: LoadOptions): FileLoad {
  try {
    return loadManifestFile(file, options);
  } catch (cause) {
    // Unreachable by design; if a bug gets here, fail this file rather than DSR.
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = `could not be loaded (a DSR bug, please report it): ${reason}`;
    return { file: file.path, services: [], errors: [{ file: file.path, line: 0, column: 0, path: '', message }], omitted: 0, names: [], dependencies: [] };
  }
}

/** Rejects every declaration of a name declared more than once, naming (some of) the other places. */
function markDuplicates(loads: FileLoad[]): void {
  const byName = new Map<string, Array<{ load: FileLoad; line: number; column: number }>>();
  for (const load of loads) {
    for (const n of load.names) {
      const places = byName.get(n.name) ?? [];
      places.push({ load, line: n.line, column: n.column });
      byName.set(n.name, places);
    }
  }
  for (const [name, places] of byName) {
    if (places.length < 2) continue;
    for (const here of places) {
      const others = places.filter((p) => p !== here);
      const listed = others.slice(0, 3).map((p) => `${p.load.file}:${p.line}:${p.column}`).join(', ');
      const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
      const message = `duplicate service name "${name}", also declared at ${listed}${more}; service names must be unique across the manifests folder, rename or remove one`;
      here.load.errors.push({ file: here.load.file, line: here.line, column: here.column, path: 'metadata.name', message });
    }
  }
}

/** Rejects the dependsOn entries of valid services that name no service or close a cycle. */
function markDependencies(loads: FileLoad[]): void {
  const declared = new Set(loads.flatMap((load) => load.names.map((n) => n.name)));
  const valid = loads.filter((load) => load.errors.length === 0);
  const fileOf = new Map<string, FileLoad>();
  for (const load of valid) for (const d of load.dependencies) fileOf.set(`${d.service}\0${d.line}\0${d.column}`, load);
  for (const { dependency: d, message } of dependencyProblems(valid.flatMap((load) => load.dependencies), declared)) {
    const load = fileOf.get(`${d.service}\0${d.line}\0${d.column}`)!;
    load.errors.push({ file: load.file, line: d.line, column: d.column, path: `spec.dependsOn[${d.index}]`, message });
    load.services = [];
  }
}

/** Sorts a file's errors by position, drops exact repeats, caps their number and says how many were left out. */
function tidy(load: FileLoad): ManifestError[] {
  const sorted = [...load.errors].sort((a, b) => a.line - b.line || a.column - b.column || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  const unique = sorted.filter((e) => {
    const key = `${e.line}:${e.column}:${e.path}:${e.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const shown = unique.slice(0, MAX_ERRORS_PER_FILE);
  const omitted = load.omitted + unique.length - shown.length;
  if (omitted === 0) return shown;
  return [...shown, { file: load.file, line: 0, column: 0, path: '', message: `${omitted} more errors not shown; fix the ones above first` }];
}

/**
 * Validates and converts every manifest file. A file with any error contributes no service
 * and is listed in `failedFiles` with the names it appeared to declare, so the caller can keep
 * those services at their last valid state instead of pruning them.
 */
export function loadManifests(files: readonly ManifestFile[], options: LoadOptions = {}): LoadResult {
  const loads = files.map((file) => loadSafely(file, options));
  markDuplicates(loads);
  markDependencies(loads);
  const services: ServiceSpec[] = [];
  const errors: ManifestError[] = [];
  const failedFiles: FailedFile[] = [];
  for (const load of loads) {
    if (load.errors.length === 0) {
      services.push(...load.services);
      continue;
    }
    errors.push(...tidy(load));
    failedFiles.push({ file: load.file, serviceNames: [...new Set(load.names.map((n) => n.name))] });
  }
  return { services, errors, failedFiles, fileCount: files.length };
}

// Loads one manifest file: bytes → text → YAML documents → schema → semantic checks → desired
// state. A file is all or nothing: one bad document fails the whole file, so a half-applied
// file never prunes the services its broken part declared.
import { decodeManifest } from './decode.js';
import type { ManifestError, ServiceSpec } from './service-spec.js';
import { MAX_ERRORS_PER_FILE } from './limits.js';
import { locate, renderPath } from './locate.js';
import { toServiceSpec } from './normalize.js';
import { parseYaml } from './parse-yaml.js';
import type { ParsedDocument } from './parse-yaml.js';
import type { ServiceManifest } from './manifest.gen.js';
import type { Problem } from './problem.js';
import { schemaProblems } from './schema-errors.js';
import { validateManifest } from './schema.js';
import { semanticProblems } from './semantic.js';
import type { LoadOptions } from './stack-checks.js';

/** One file as the folder reader hands it over: its bytes, or why it could not be read. */
export type ManifestFile = { path: string; content: Buffer } | { path: string; problem: string };

/** A service name a document declares, valid or not, and where. */
export interface DeclaredName {
  name: string;
  line: number;
  column: number;
}

/** One entry of a valid service's `spec.dependsOn`, and where it is written (checked across files in load.ts). */
export interface DeclaredDependency {
  service: string;
  target: string;
  /** Position in the list, for the error's path `spec.dependsOn[index]`. */
  index: number;
  line: number;
  column: number;
}

/** What loading one file produced. `services` is empty whenever `errors` is not. */
export interface FileLoad {
  file: string;
  services: ServiceSpec[];
  /** At most MAX_ERRORS_PER_FILE errors, in no particular order; `omitted` counts the rest. */
  errors: ManifestError[];
  omitted: number;
  names: DeclaredName[];
  /** The dependsOn entries of the services this file declares validly. */
  dependencies: DeclaredDependency[];
}

// An empty file is an error, not "no services": a file truncated by a crashed editor or an
// interrupted checkout would otherwise silently prune every service it used to declare.
const EMPTY_FILE = 'declares no service; add a manifest or delete the file';

function fileError(file: string, message: string, line = 0, column = 0): ManifestError {
  return { file, line, column, path: '', message };
}

function declaredName(parsed: ParsedDocument): string | null {
  const fromValue = (parsed.value as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  const name = parsed.value === undefined ? parsed.doc.getIn(['metadata', 'name']) : fromValue;
  return typeof name === 'string' && name !== '' ? name : null;
}

function checkDocument(parsed: ParsedDocument, options: LoadOptions): { problems: Problem[]; manifest?: ServiceManifest } {
  if (parsed.value === undefined) return { problems: [] }; // its YAML errors are already reported
  const checked = validateManifest(parsed.value);
  if (!checked.ok) return { problems: schemaProblems(checked.errors, parsed.value) };
  const problems = semanticProblems(checked.manifest, options);
  return problems.length > 0 ? { problems } : { problems, manifest: checked.manifest };
}

/** Loads every document of one file; never throws for any content. */
export function loadManifestFile(input: ManifestFile, options: LoadOptions = {}): FileLoad {
  const file = input.path;
  if ('problem' in input) return { file, services: [], errors: [fileError(file, input.problem)], omitted: 0, names: [], dependencies: [] };
  const decoded = decodeManifest(input.content);
  if ('problem' in decoded) {
    const { line, column, message } = decoded.problem;
    return { file, services: [], errors: [fileError(file, message, line, column)], omitted: 0, names: [], dependencies: [] };
  }

  const { lineCounter, documents, problems, omitted: yamlOmitted } = parseYaml(decoded.text);
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors: ManifestError[] = problems.map((p) => ({ file, ...position(p.offset), path: '', message: p.message }));
  const services: ServiceSpec[] = [];
  const names: DeclaredName[] = [];
  const dependencies: DeclaredDependency[] = [];
  let omitted = yamlOmitted;
  if (documents.length === 0 && problems.length === 0) errors.push(fileError(file, EMPTY_FILE));

  for (const parsed of documents) {
    const name = declaredName(parsed);
    if (name !== null) names.push({ name, ...position(locate(parsed, ['metadata', 'name'])) });
    const { problems: found, manifest } = checkDocument(parsed, options);
    // Locating costs a walk of the document: only for the errors that will be shown.
    const shown = found.slice(0, Math.max(0, MAX_ERRORS_PER_FILE - errors.length));
    omitted += found.length - shown.length;
    for (const p of shown) {
      const offset = p.locateAt ? locate(parsed, p.locateAt) : locate(parsed, p.path, p.at);
      errors.push({ file, ...position(offset), path: renderPath(p.path), message: p.message });
    }
    if (!manifest) continue;
    services.push(toServiceSpec(manifest, { file, ...position(locate(parsed, [])) }));
    (manifest.spec.dependsOn ?? []).forEach((target, i) => {
      dependencies.push({ service: manifest.metadata.name, target, index: i, ...position(locate(parsed, ['spec', 'dependsOn', i])) });
    });
  }
  return { file, services: errors.length > 0 ? [] : services, errors, omitted, names, dependencies };
}

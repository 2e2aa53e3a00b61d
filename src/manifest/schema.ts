// The validator for schemas/service.schema.json, the single source of truth for the manifest
// format. Compiling the schema with ajv costs ~150 ms of start-up (plus ~70 ms to load ajv), which
// every `dsr validate` would pay, so `npm run gen:validator` compiles it ahead of time into
// schema-validator.gen.ts (standalone code, no ajv at run time). That file records the hash of
// the schema it was made from: when the schema has changed since (a developer edited it and has
// not regenerated yet), this module compiles the schema itself, so the loader never validates
// against an old schema; test/unit/manifest-validator-gen.test.ts fails until it is regenerated.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ServiceManifest } from './manifest.gen.js';
import { AJV_OPTIONS, MESSAGE_KEYWORD, schemaHash } from './schema-options.js';
import { SCHEMA_SHA256, validate as precompiled } from './schema-validator.gen.js';

export { MESSAGE_KEYWORD } from './schema-options.js';

// Read rather than imported: the schema sits outside src/, and both src/ (tsx) and dist/ (tsc
// build) are two levels below the project root, so this URL resolves in either layout.
const SCHEMA_URL = new URL('../../schemas/service.schema.json', import.meta.url);
const schemaText = readFileSync(SCHEMA_URL, 'utf8');

/** The service manifest JSON Schema, as parsed from schemas/service.schema.json. */
export const serviceSchema: Record<string, unknown> = JSON.parse(schemaText);

function compileAtRuntime(): ValidateFunction<ServiceManifest> {
  // Loaded only on this path (require is synchronous; ajv is CommonJS), so the usual start-up
  // never pays for it.
  type AjvModule = typeof import('ajv/dist/2020.js');
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as AjvModule;
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  ajv.addVocabulary([MESSAGE_KEYWORD]);
  try {
    return ajv.compile<ServiceManifest>(serviceSchema);
  } catch (cause) {
    throw new Error(`schemas/service.schema.json does not compile`, { cause });
  }
}

const validator: ValidateFunction<ServiceManifest> =
  schemaHash(schemaText) === SCHEMA_SHA256 ? (precompiled as unknown as ValidateFunction<ServiceManifest>) : compileAtRuntime();

/** Validates one parsed document; returns the schema errors (empty when valid). */
export function validateManifest(value: unknown): { ok: true; manifest: ServiceManifest } | { ok: false; errors: ErrorObject[] } {
  if (validator(value)) return { ok: true, manifest: value };
  return { ok: false, errors: [...(validator.errors ?? [])] };
}

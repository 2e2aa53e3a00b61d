// Generates src/manifest/manifest.gen.ts from schemas/service.schema.json, so the raw manifest
// types can never drift from the schema the validator uses. Run with `npm run gen:types`; the
// unit test test/unit/manifest-gen-types.test.ts fails when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import type { JSONSchema } from 'json-schema-to-typescript';

const SCHEMA_PATH = fileURLToPath(new URL('../schemas/service.schema.json', import.meta.url));
/** Where the generated types live. */
export const GENERATED_TYPES_PATH = fileURLToPath(new URL('../src/manifest/manifest.gen.ts', import.meta.url));

const BANNER = [
  '// GENERATED FILE, do not edit. Source: schemas/service.schema.json.',
  '// Regenerate with `npm run gen:types` (tsx scripts/gen-types.ts).',
  '// Raw manifest types, before defaults: they never leave src/manifest/ (see service-spec.ts).',
].join('\n');

type SchemaNode = Record<string, unknown>;

function isNode(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rewrites `$ref`s that carry sibling keywords, which json-schema-to-typescript would otherwise
 * turn into numbered aliases (`PositiveDuration1`, `PositiveDuration2`, ...): a ref to an object
 * definition keeps only the `$ref` (its `title` names the interface); a ref to a scalar
 * definition (durations) is inlined, so the property keeps its own description as a doc comment.
 */
function simplifyRefs(node: unknown, defs: SchemaNode): unknown {
  if (Array.isArray(node)) return node.map((n) => simplifyRefs(n, defs));
  if (!isNode(node)) return node;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'default' ? v : simplifyRefs(v, defs);
  const ref = out['$ref'];
  if (typeof ref !== 'string' || Object.keys(out).length === 1) return out;
  const target = defs[ref.replace('#/$defs/', '')];
  if (!isNode(target)) throw new Error(`gen-types: unresolved $ref ${ref}`);
  if (target['type'] === 'object') return { $ref: ref };
  const { title: _title, ...inlined } = target;
  const { $ref: _ref, ...siblings } = out;
  return { ...inlined, ...siblings };
}

/** Compiles the schema to TypeScript source (the full content of manifest.gen.ts). */
export async function generateManifestTypes(): Promise<string> {
  const schema: unknown = JSON.parse(await readFile(SCHEMA_PATH, 'utf8'));
  if (!isNode(schema) || !isNode(schema['$defs'])) throw new Error(`gen-types: ${SCHEMA_PATH} has no $defs`);
  const simplified = simplifyRefs(schema, schema['$defs']) as JSONSchema;
  return compile(simplified, 'ServiceManifest', {
    bannerComment: BANNER,
    additionalProperties: false,
    strictIndexSignatures: true,
    unknownAny: true,
    unreachableDefinitions: false,
  });
}

async function main(): Promise<void> {
  await writeFile(GENERATED_TYPES_PATH, await generateManifestTypes());
  console.log(`wrote ${GENERATED_TYPES_PATH}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

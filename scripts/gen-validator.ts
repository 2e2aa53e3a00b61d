// Generates src/manifest/schema-validator.gen.ts: schemas/service.schema.json compiled by ajv
// ahead of time into standalone code, so no CLI start pays for loading ajv and compiling the
// schema (about 0.2 s). Run with `npm run gen:validator`; the unit test
// test/unit/manifest-validator-gen.test.ts fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, MESSAGE_KEYWORD, schemaHash } from '../src/manifest/schema-options.js';

const SCHEMA_PATH = fileURLToPath(new URL('../schemas/service.schema.json', import.meta.url));
/** Where the generated validator lives. */
export const GENERATED_VALIDATOR_PATH = fileURLToPath(new URL('../src/manifest/schema-validator.gen.ts', import.meta.url));

const BANNER = [
  '// GENERATED FILE, do not edit. Source: schemas/service.schema.json, compiled by ajv (standalone).',
  '// Regenerate with `npm run gen:validator` (tsx scripts/gen-validator.ts). Used by schema.ts.',
  '// ajv emits plain JavaScript, hence no type checking here; schema.ts gives it its type.',
].join('\n');

/** Compiles the schema to a TypeScript module exporting `validate` and `SCHEMA_SHA256`. */
export function generateValidator(): string {
  const text = readFileSync(SCHEMA_PATH, 'utf8');
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  ajv.addVocabulary([MESSAGE_KEYWORD]);
  // A CommonJS module: its `exports.default` is the function.
  const code = standalone.default(ajv, ajv.compile(JSON.parse(text))).replace(/^"use strict";/, '');
  return `// @ts-nocheck\n${BANNER}\nexport const SCHEMA_SHA256 = ${JSON.stringify(schemaHash(text))};\n${code.trim()}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(GENERATED_VALIDATOR_PATH, generateValidator());
  console.log(`wrote ${GENERATED_VALIDATOR_PATH}`);
}

// The validator the loader runs is compiled ahead of time from schemas/service.schema.json; this
// keeps the committed file in step with the schema (schema.ts would otherwise compile at start-up).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GENERATED_VALIDATOR_PATH, generateValidator } from '../../scripts/gen-validator.js';
import { validateManifest } from '../../src/manifest/schema.js';

describe('the precompiled manifest validator', () => {
  it('is the one generated from schemas/service.schema.json (run npm run gen:validator)', () => {
    const committed = readFileSync(GENERATED_VALIDATOR_PATH, 'utf8');
    assert.ok(committed === generateValidator(), 'src/manifest/schema-validator.gen.ts is stale: run npm run gen:validator');
  });

  it('reports every problem of a document with the schema that was broken, for the messages', () => {
    const result = validateManifest({ apiVersion: 'dsr/v2', kind: 'Service', metadata: { name: 'Bad Name' } });
    assert.equal(result.ok, false);
    const errors = result.ok ? [] : result.errors;
    assert.deepEqual(errors.map((e) => `${e.instancePath} ${e.keyword}`).sort(), [' required', '/apiVersion const', '/metadata/name pattern']);
    assert.ok(errors.every((e) => e.parentSchema !== undefined), 'verbose errors carry their parent schema');
  });
});

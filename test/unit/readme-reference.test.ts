import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { manifestReference } from '../../scripts/gen-manifest-reference.js';

describe('README manifest reference', () => {
  it('is the one generated from schemas/service.schema.json (run npm run gen:reference)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(manifestReference()), 'README.md is stale: run npm run gen:reference');
  });

  it('lists every field with its default, e.g. the health interval', () => {
    assert.match(manifestReference(), /\| `spec\.health\.interval` \| duration \| `"5s"` \|/);
  });
});

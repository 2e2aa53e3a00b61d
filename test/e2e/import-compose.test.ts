// `dsr import-compose` driven as a user would: the real `dsr` command on a compose file, then
// `dsr validate` on what it wrote; and the exit code 2 a user sees for a file that is not compose.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dsr } from '../helpers/dsr-process.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/compose/', import.meta.url));

describe('dsr import-compose', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dsr-import-e2e-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a stack, prints where the secrets go and what was not carried, and dsr validate accepts the result', () => {
    const out = join(dir, 'manifests');
    const env = { DSR_HOST_PATHS: FIXTURES.replace(/\/$/, '') };
    const run = dsr(['import-compose', join(FIXTURES, 'shop-stack.compose.yml'), '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote 4 manifests to .*: web\.yaml, worker\.yaml, db\.yaml, cache\.yaml$/m);
    assert.match(run.stdout, /^secret db: copy .*\/secrets\/db\.env to <DSR_SECRETS>\/db\.env \(default <data>\/secrets\/\) and keep it out of git$/m);
    assert.match(run.stdout, /^not carried over \(6\):$/m);
    assert.match(run.stdout, /^ {2}db\.shm_size: not configurable$/m);
    assert.match(run.stdout, /^4 manifests valid/m);
    // Secret values stay in the secret files: never printed.
    assert.doesNotMatch(run.stdout + run.stderr, /test-password|sk_test_123/);
    assert.match(readFileSync(join(out, 'db.yaml'), 'utf8'), /strategy: Recreate/);
    const validate = dsr(['validate', out], env);
    assert.deepEqual([validate.code, validate.stdout.trim()], [0, '4 services valid in 4 files']);
  });

  it('exits 2 with one clear line for a file that is not a compose file', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'servces:\n  web: { image: nginx }\n');
    const run = dsr(['import-compose', bad, '--out', join(dir, 'never')]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), `${bad}: unknown top-level key "servces": a compose file has services, volumes, networks, configs, secrets, name, version and x-* extensions`);
  });

  it('exits 2 when the file cannot be read', () => {
    const run = dsr(['import-compose', join(dir, 'missing.yml')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^cannot read .*missing\.yml: give the path of a compose file/);
  });
});

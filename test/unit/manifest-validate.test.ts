// `dsr validate`: exit codes, one line per error, the summary line and --json, on real folders.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCommand } from '../../src/cli/validate.js';

const WEB = 'apiVersion: dsr/v1\nkind: Service\nmetadata: { name: web }\nspec: { port: 80, versions: [ { name: v1, image: web:v1 } ] }\n';
const API = WEB.replace('name: web', 'name: api');

let base: string;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'dsr-validate-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

let n = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(base, `case-${n++}`);
  await mkdir(dir);
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
  return dir;
}

async function run(dir: string, json = false): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await validateCommand(dir, { json }, { stdout: (s) => stdout.push(s), stderr: (s) => stderr.push(s) });
  return { code, stdout, stderr };
}

describe('dsr validate', () => {
  it('exits 0 with a summary when every file is valid', async () => {
    const dir = await folder({ 'web.yaml': WEB, 'api.yaml': API, 'more.yml': WEB.replace('name: web', 'name: db') });
    assert.deepEqual(await run(dir), { code: 0, stdout: ['3 services valid in 3 files'], stderr: [] });
  });

  it('uses singular words for one service in one file', async () => {
    assert.deepEqual((await run(await folder({ 'web.yaml': WEB }))).stdout, ['1 service valid in 1 file']);
  });

  it('exits 1 and prints every error on its own line, prefixed with the folder, then a summary', async () => {
    const dir = await folder({ 'a.yaml': WEB.replace('port: 80', 'port: 0'), 'b.yaml': '', 'c.yaml': API });
    const { code, stdout, stderr } = await run(dir);
    assert.equal(code, 1);
    assert.deepEqual(stdout, []);
    assert.deepEqual(stderr, [
      `${dir}/a.yaml:4:15 spec.port: must be an integer from 1 to 65535, got 0`,
      `${dir}/b.yaml: declares no service; add a manifest or delete the file`,
      '2 errors in 2 files',
    ]);
  });

  it('prints a JSON report with --json', async () => {
    const dir = await folder({ 'a.yaml': WEB.replace('image: web:v1', 'image: web:v1, privileged: true'), 'c.yaml': API });
    const { code, stdout, stderr } = await run(dir, true);
    assert.equal(code, 1);
    assert.deepEqual(stderr, []);
    assert.deepEqual(JSON.parse(stdout.join('\n')), {
      ok: false,
      services: ['api'],
      errors: [{ file: `${dir}/a.yaml`, line: 4, column: 58, path: 'spec.versions[0].privileged', message: 'privileged mode is not allowed: DSR never runs privileged containers' }],
    });
  });

  it('prints ok JSON for a clean folder', async () => {
    const { code, stdout } = await run(await folder({ 'web.yaml': WEB }), true);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout.join('\n')), { ok: true, services: ['web'], errors: [] });
  });

  it('exits 2 when the folder does not exist', async () => {
    const missing = join(base, 'nope');
    assert.deepEqual(await run(missing), {
      code: 2,
      stdout: [],
      stderr: [`manifests folder ${missing} does not exist; create it or point --manifests (DSR_MANIFESTS) at the right folder`],
    });
    const json = await run(missing, true);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout.join('\n')).ok, false);
  });

  it('accepts an empty folder (no services is a valid state)', async () => {
    assert.deepEqual(await run(await folder({})), { code: 0, stdout: ['0 services valid in 0 files'], stderr: [] });
  });
});

describe('dsr validate and DSR_HOST_PATHS', () => {
  const STATIC = 'apiVersion: dsr/v1\nkind: Service\nmetadata: { name: web }\nspec:\n  port: 80\n  versions: [ { name: v1, image: web:v1 } ]\n  volumes: [ { hostPath: /srv/static, mountPath: /static } ]\n';
  async function runEnv(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await validateCommand(dir, { json: false }, { stdout: (s) => stdout.push(s), stderr: (s) => stderr.push(s) }, env);
    return { code, stdout, stderr };
  }
  it('refuses a hostPath when DSR_HOST_PATHS is unset, saying to set it', async () => {
    const dir = await folder({ 'web.yaml': STATIC });
    const { code, stderr } = await runEnv(dir, {});
    assert.equal(code, 1);
    assert.match(stderr[0]!, /web\.yaml:7:26 spec\.volumes\[0\]\.hostPath: host paths are refused until the operator allows them: set DSR_HOST_PATHS/);
  });
  it('accepts a hostPath under a root DSR_HOST_PATHS lists', async () => {
    const dir = await folder({ 'web.yaml': STATIC });
    assert.deepEqual(await runEnv(dir, { DSR_HOST_PATHS: '/data:/srv' }), { code: 0, stdout: ['1 service valid in 1 file'], stderr: [] });
  });
  it('exits 2 on a relative entry in DSR_HOST_PATHS', async () => {
    const dir = await folder({ 'web.yaml': WEB });
    const { code, stderr } = await runEnv(dir, { DSR_HOST_PATHS: '/srv:static' });
    assert.equal(code, 2);
    assert.deepEqual(stderr, ['DSR_HOST_PATHS must list absolute folders separated by ":" (e.g. /srv/dsr:/data); not absolute: "static"']);
  });
});

// readManifestFolder against the real file system (a temp folder per test): what it reads,
// what it skips, and the symlinks and files it refuses.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAX_MANIFEST_BYTES, ManifestFolderError, readManifestFolder } from '../../src/source/read-folder.js';
import { loadManifests } from '../../src/manifest/load.js';
import type { ManifestFile } from '../../src/manifest/load.js';

let base: string;
before(async () => {
  // realpath: symlink targets are reported resolved (on macOS /tmp is itself a symlink).
  base = await realpath(await mkdtemp(join(tmpdir(), 'dsr-read-folder-')));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

let n = 0;
/** A fresh folder holding `files` (path → content); returns its path. */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(base, `case-${n++}`);
  await mkdir(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const summary = (files: ManifestFile[]): Array<[string, string]> =>
  files.map((f) => [f.path, 'problem' in f ? `problem: ${f.problem}` : f.content.toString()]);

describe('readManifestFolder', () => {
  it('reads *.yaml and *.yml recursively, sorted, with forward-slash relative paths', async () => {
    const dir = await folder({ 'b.yml': 'b', 'a.yaml': 'a', 'team/x/c.yaml': 'c', 'team/d.yaml': 'd', 'notes.txt': 'no', 'README.md': 'no', 'e.YAML.bak': 'no' });
    assert.deepEqual(summary(await readManifestFolder(dir)), [['a.yaml', 'a'], ['b.yml', 'b'], ['team/d.yaml', 'd'], ['team/x/c.yaml', 'c']]);
  });

  it('skips dot-files, dot-folders and node_modules', async () => {
    const dir = await folder({ '.hidden.yaml': 'no', '.git/config.yaml': 'no', '.github/ci.yml': 'no', 'node_modules/pkg/x.yaml': 'no', 'sub/.draft.yaml': 'no', 'ok.yaml': 'yes' });
    assert.deepEqual(summary(await readManifestFolder(dir)), [['ok.yaml', 'yes']]);
  });

  it('never follows a symlink to a file outside the folder, and names its target', async () => {
    const outside = await folder({ 'secret.yaml': 'secret' });
    const dir = await folder({ 'ok.yaml': 'ok' });
    await symlink(join(outside, 'secret.yaml'), join(dir, 'link.yaml'));
    const files = await readManifestFolder(dir);
    assert.deepEqual(files.map((f) => f.path), ['link.yaml', 'ok.yaml']);
    const link = files[0]!;
    assert.ok('problem' in link, 'the outside file must not be read');
    assert.match(link.problem, new RegExp(`^is a symlink to ${join(outside, 'secret.yaml')}, outside the manifests folder`));
  });

  it('never follows a symlink to a folder outside', async () => {
    const outside = await folder({ 'secret.yaml': 'secret' });
    const dir = await folder({});
    await symlink(outside, join(dir, 'shared'));
    assert.deepEqual(summary(await readManifestFolder(dir)), [['shared', `problem: is a symlink to ${outside}, outside the manifests folder; DSR does not follow it (copy the file in instead)`]]);
  });

  it('reads a symlinked manifest inside the folder under the link name, and skips folder links', async () => {
    const dir = await folder({ 'real/web.yaml': 'web' });
    await symlink(join(dir, 'real', 'web.yaml'), join(dir, 'alias.yaml'));
    await symlink(join(dir, 'real'), join(dir, 'again'));
    await symlink(dir, join(dir, 'real', 'loop'));
    assert.deepEqual(summary(await readManifestFolder(dir)), [['alias.yaml', 'web'], ['real/web.yaml', 'web']]);
  });

  it('reports a dangling symlink named like a manifest', async () => {
    const dir = await folder({});
    await symlink(join(dir, 'gone.yaml'), join(dir, 'web.yaml'));
    const [f] = await readManifestFolder(dir);
    assert.ok(f && 'problem' in f);
    assert.match(f.problem, /^is a symlink whose target cannot be resolved \(ENOENT/);
  });

  it('refuses a file over 1 MiB without handing over its content', async () => {
    const dir = await folder({ 'big.yaml': Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x23), 'edge.yaml': Buffer.alloc(MAX_MANIFEST_BYTES, 0x23) });
    const [big, edge] = await readManifestFolder(dir);
    assert.deepEqual(big, { path: 'big.yaml', problem: 'file is 1048577 bytes, over the 1048576-byte (1 MiB) limit for a manifest; split it into several files' });
    assert.ok(edge && 'content' in edge && edge.content.length === MAX_MANIFEST_BYTES);
  });

  it('reports a FIFO named like a manifest instead of blocking on it', async (t) => {
    const dir = await folder({});
    if (spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status !== 0) return t.skip('mkfifo unavailable');
    assert.deepEqual(await readManifestFolder(dir), [{ path: 'pipe.yaml', problem: 'is not a regular file' }]);
  });

  it('throws ManifestFolderError for a missing folder, and for a file given as the folder', async () => {
    const missing = join(base, 'does-not-exist');
    await assert.rejects(readManifestFolder(missing), (err: unknown) => {
      assert.ok(err instanceof ManifestFolderError);
      assert.equal(err.reason, 'missing');
      assert.equal(err.message, `manifests folder ${missing} does not exist; create it or point --manifests (DSR_MANIFESTS) at the right folder`);
      return true;
    });
    const dir = await folder({ 'web.yaml': 'x' });
    await assert.rejects(readManifestFolder(join(dir, 'web.yaml')), (err: unknown) => err instanceof ManifestFolderError && err.reason === 'not-a-directory');
  });

  it('hands the loader a problem it reports as an error, while other files still load', async () => {
    const outside = await folder({ 'x.yaml': 'x' });
    const web = 'apiVersion: dsr/v1\nkind: Service\nmetadata: { name: web }\nspec: { port: 80, versions: [ { name: v1, image: web:v1 } ] }\n';
    const dir = await folder({ 'web.yaml': web });
    await symlink(join(outside, 'x.yaml'), join(dir, 'evil.yaml'));
    const result = loadManifests(await readManifestFolder(dir));
    assert.deepEqual(result.services.map((s) => s.name), ['web']);
    assert.deepEqual(result.errors.map((e) => [e.file, e.line]), [['evil.yaml', 0]]);
    assert.match(result.errors[0]!.message, /outside the manifests folder/);
  });
});

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { loadManifests } from '../../src/manifest/load.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';

/** Resolves with the number of change callbacks seen once none came for `quietMs`. */
function countChanges(source: ManifestSource, quietMs: number, act: () => void | Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve(count), quietMs);
    };
    source.watch(() => {
      count++;
      arm();
    }).then(async () => {
      await act();
      arm();
    }, reject);
  });
}

describe('manifest source in git mode', () => {
  const repos: GitRepo[] = [];
  after(() => repos.forEach((r) => r.remove()));

  it('applies the committed state and attaches the commit id', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    repo.write('manifests/web.yaml', manifest('web', { replicas: 1 }));
    const first = repo.commit('add web');
    const source = await ManifestSource.open({ dir: join(repo.dir, 'manifests') });
    assert.equal(source.mode, 'git');
    let snap = await source.read();
    assert.equal(snap.revision, first);
    assert.deepEqual(loadManifests(snap.files).services.map((s) => [s.name, s.versions[0]!.replicas]), [['web', 1]]);

    repo.write('manifests/web.yaml', manifest('web', { replicas: 3 }));
    snap = await source.read();
    assert.equal(snap.revision, first, 'an uncommitted edit does not change the revision');
    assert.equal(loadManifests(snap.files).services[0]!.versions[0]!.replicas, 1, 'an uncommitted edit is not applied');

    const second = repo.commit('scale web');
    snap = await source.read();
    assert.equal(snap.revision, second);
    assert.equal(loadManifests(snap.files).services[0]!.versions[0]!.replicas, 3);
    await source.close();
  });

  it('reads only the manifests folder, skipping dot-files, dot-folders and other extensions', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    repo.write('manifests/a.yaml', manifest('a'));
    repo.write('manifests/nested/b.yml', manifest('b'));
    repo.write('manifests/.hidden.yaml', manifest('hidden'));
    repo.write('manifests/.drafts/c.yaml', manifest('c'));
    repo.write('manifests/notes.txt', 'not a manifest');
    repo.write('other/d.yaml', manifest('d'));
    repo.commit();
    const source = await ManifestSource.open({ dir: join(repo.dir, 'manifests') });
    const snap = await source.read();
    assert.deepEqual(snap.files.map((f) => f.path), ['a.yaml', 'nested/b.yml']);
  });

  it('refuses a committed symlink that points outside the folder', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    repo.write('secret.yaml', manifest('secret'));
    repo.write('manifests/a.yaml', manifest('a'));
    symlinkSync('../secret.yaml', join(repo.dir, 'manifests/link.yaml'));
    symlinkSync('a.yaml', join(repo.dir, 'manifests/inside.yaml'));
    repo.commit();
    const source = await ManifestSource.open({ dir: join(repo.dir, 'manifests') });
    const snap = await source.read();
    const link = snap.files.find((f) => f.path === 'link.yaml');
    assert.ok(link && 'problem' in link && /outside the manifests folder/.test(link.problem), JSON.stringify(link));
    const inside = snap.files.find((f) => f.path === 'inside.yaml');
    assert.ok(inside && 'content' in inside && inside.content.toString().includes('name: a'));
  });

  it('reports a repository without commits as unavailable instead of empty', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    repo.write('web.yaml', manifest('web'));
    const source = await ManifestSource.open({ dir: repo.dir });
    const snap = await source.read();
    assert.equal(snap.files.length, 0);
    assert.match(snap.unavailable ?? '', /no commits yet/);
  });

  it('is triggered by a commit, a reset and a checkout, but not by an uncommitted edit', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    repo.write('web.yaml', manifest('web'));
    const first = repo.commit();
    const source = await ManifestSource.open({ dir: repo.dir, debounceMs: 100 });
    const seen: string[] = [];
    let resolveNext: (() => void) | null = null;
    await source.watch(() => {
      void source.read().then((s) => {
        seen.push(s.revision!);
        resolveNext?.();
      });
    });
    const next = (): Promise<void> => new Promise((r) => (resolveNext = r));

    repo.write('web.yaml', manifest('web', { replicas: 2 }));
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(seen, [], 'saving a file does not trigger in git mode');

    let wait = next();
    const second = repo.commit('two');
    await wait;
    assert.equal(seen.at(-1), second);

    wait = next();
    repo.git('reset', '-q', '--hard', first);
    await wait;
    assert.equal(seen.at(-1), first);

    wait = next();
    repo.git('checkout', '-q', '-b', 'other', second);
    await wait;
    assert.equal(seen.at(-1), second);
    await source.close();
  });

  it('collapses a checkout that rewrites many files into one load', async () => {
    const repo = new GitRepo();
    repos.push(repo);
    for (let i = 0; i < 50; i++) repo.write(`s${i}.yaml`, manifest(`s${i}`));
    repo.commit();
    repo.git('checkout', '-q', '-b', 'big');
    for (let i = 0; i < 50; i++) repo.write(`s${i}.yaml`, manifest(`s${i}`, { replicas: 2 }));
    repo.commit();
    repo.git('checkout', '-q', 'main');
    const source = await ManifestSource.open({ dir: repo.dir, debounceMs: 200 });
    const count = await countChanges(source, 800, () => {
      repo.git('checkout', '-q', 'big');
    });
    await source.close();
    assert.equal(count, 1);
  });
});

describe('manifest source in worktree mode', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads saved files outside git, with a content digest as revision', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-wt-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'web.yaml'), manifest('web'));
    const source = await ManifestSource.open({ dir });
    assert.equal(source.mode, 'worktree');
    const a = await source.read();
    assert.match(a.revision ?? '', /^worktree:[0-9a-f]{12}$/);
    writeFileSync(join(dir, 'web.yaml'), manifest('web', { replicas: 2 }));
    const b = await source.read();
    assert.notEqual(a.revision, b.revision);
    assert.equal(loadManifests(b.files).services[0]!.versions[0]!.replicas, 2);
  });

  it('--source worktree inside a git repository applies saved, uncommitted files', async () => {
    const repo = new GitRepo();
    dirs.push(repo.dir);
    repo.write('web.yaml', manifest('web'));
    repo.commit();
    repo.write('web.yaml', manifest('web', { replicas: 4 }));
    const source = await ManifestSource.open({ dir: repo.dir, mode: 'worktree' });
    assert.equal(source.mode, 'worktree');
    assert.equal(loadManifests((await source.read()).files).services[0]!.versions[0]!.replicas, 4);
  });

  it('--source git outside a repository is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-wt-'));
    dirs.push(dir);
    await assert.rejects(ManifestSource.open({ dir, mode: 'git' }), /not inside a git work tree.*--source worktree/);
  });

  it('collapses 100 quick writes into one change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-wt-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'web.yaml'), manifest('web'));
    const source = await ManifestSource.open({ dir, debounceMs: 200 });
    const count = await countChanges(source, 800, async () => {
      for (let i = 0; i < 100; i++) {
        writeFileSync(join(dir, 'web.yaml'), manifest('web', { replicas: (i % 5) + 1 }));
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    await source.close();
    assert.equal(count, 1);
  });
});

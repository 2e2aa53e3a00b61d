// What only the on-disk store does: persistence, atomic writes, writing only on change, and
// recovery from a state file it cannot read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { openStateStore } from '../../src/store/open-state.js';
import { DEFAULT_STATE, isDsrState } from '../../src/store/state.js';
import type { DsrState } from '../../src/store/state.js';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dsr-lowdb-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const applied = (revision: string) => (s: DsrState): void => {
  s.services.web = { appliedRevision: revision, appliedAt: '2024-01-01T00:00:00.000Z', rollout: null };
};

const FIXED_CLOCK = () => new Date('2024-05-06T07:08:09.010Z');

describe('LowdbStore', () => {
  it('keeps the state across a reopen', () =>
    withDir(async (dir) => {
      const store = await openStateStore(dir);
      await store.update(applied('abc123'));
      await store.close();
      const again = await openStateStore(dir);
      assert.equal(again.read().services.web?.appliedRevision, 'abc123');
      await again.close();
    }));

  it('writes the file only when the state changed', () =>
    withDir(async (dir) => {
      const file = join(dir, 'state.json');
      const store = await openStateStore(dir);
      assert.equal(await store.update(() => undefined), false);
      await assert.rejects(stat(file), { code: 'ENOENT' });
      assert.equal(await store.update(applied('abc')), true);
      const written = await stat(file);
      assert.equal(await store.update(applied('abc')), false);
      assert.equal((await stat(file)).mtimeMs, written.mtimeMs);
      await store.close();
    }));

  it('writes atomically: a complete document and no leftover temporary file', () =>
    withDir(async (dir) => {
      const store = await openStateStore(dir);
      await Promise.all(['r1', 'r2', 'r3'].map((r) => store.update(applied(r))));
      await store.close();
      assert.deepEqual(await readdir(dir), ['state.json']);
      const onDisk: unknown = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
      assert.deepEqual(onDisk, store.read());
      assert.ok(isDsrState(onDisk));
    }));

  it('creates the data folder when it is missing', () =>
    withDir(async (dir) => {
      const store = await openStateStore(join(dir, 'a', 'b'));
      await store.update(applied('x'));
      assert.deepEqual(await readdir(join(dir, 'a', 'b')), ['state.json']);
    }));

  it('keeps the old state in memory when the write fails', () =>
    withDir(async (dir) => {
      const store = await openStateStore(join(dir, 'data'));
      await store.update(applied('old'));
      await rm(join(dir, 'data'), { recursive: true });
      await assert.rejects(store.update(applied('new')), (err: Error) => err.name === 'StoreError' && /state\.json/.test(err.message) && err.cause !== undefined);
      assert.equal(store.read().services.web?.appliedRevision, 'old');
    }));

  const corrupt: Array<{ name: string; content: string }> = [
    { name: 'a truncated document', content: '{"version": 1, "serv' },
    { name: 'an empty file', content: '' },
    { name: 'binary garbage', content: '\u0000\u0001\u00ff' },
    { name: 'JSON that is not a state document', content: '[1, 2, 3]' },
    { name: 'a state of an unknown version', content: '{"version": 2, "services": {}}' },
    { name: 'a service entry of the wrong shape', content: '{"version": 1, "services": {"web": {"appliedRevision": 5}}}' },
  ];
  for (const c of corrupt) {
    it(`moves aside ${c.name}, warns, and starts from the defaults`, () =>
      withDir(async (dir) => {
        const file = join(dir, 'state.json');
        await writeFile(file, c.content);
        const warnings: string[] = [];
        const store = await openStateStore(dir, { warn: (m) => warnings.push(m), clock: FIXED_CLOCK });
        const aside = 'state.json.corrupt-2024-05-06T07-08-09-010Z';
        assert.deepEqual(store.read(), DEFAULT_STATE);
        assert.equal(warnings.length, 1);
        assert.ok(warnings[0]!.includes(aside), warnings[0]);
        assert.equal(await readFile(join(dir, aside), 'utf8'), c.content);
        assert.equal(await store.update(applied('fresh')), true);
        assert.ok(isDsrState(JSON.parse(await readFile(file, 'utf8'))));
        await store.close();
      }));
  }

  it('uses a copy of the defaults, never the caller\'s object', () =>
    withDir(async (dir) => {
      const defaults = { n: 0 };
      const store = await LowdbStore.open(join(dir, 's.json'), defaults);
      await store.update((d) => {
        d.n = 1;
      });
      assert.deepEqual(defaults, { n: 0 });
      assert.deepEqual(store.read(), { n: 1 });
    }));
});

describe('isDsrState', () => {
  const cases: Array<{ name: string; value: unknown; ok: boolean }> = [
    { name: 'the defaults', value: DEFAULT_STATE, ok: true },
    { name: 'a service with a rollout', value: { version: 1, services: { web: { appliedRevision: 'a', appliedAt: null, rollout: { step: 2 } } } }, ok: true },
    { name: 'null', value: null, ok: false },
    { name: 'services as an array', value: { version: 1, services: [] }, ok: false },
    { name: 'a service without rollout', value: { version: 1, services: { web: { appliedRevision: null, appliedAt: null } } }, ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? 'accepts' : 'rejects'} ${c.name}`, () => {
      assert.equal(isDsrState(c.value), c.ok);
    });
  }
});

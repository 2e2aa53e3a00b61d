// The behaviour every Store must have. Each implementation's test file calls storeContract with
// a factory; LowdbStore's file-specific behaviour is tested in test/unit/store-lowdb.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/store.js';

/** The document the contract stores. */
export interface Doc {
  counter: number;
  tags: string[];
  nested: { a: number; b?: number };
}

/** A store under test and how to dispose of what the factory created. */
export interface StoreHarness {
  store: Store<Doc>;
  cleanup(): Promise<void>;
}

/** Creates a store starting from `defaults`. */
export type StoreFactory = (defaults: Doc) => Promise<StoreHarness>;

const defaults = (): Doc => ({ counter: 0, tags: ['x'], nested: { a: 1 } });

/** Named update cases: what the mutation does, whether that is a write, and the final state. */
const UPDATE_CASES: Array<{ name: string; mutate: (d: Doc) => void; wrote: boolean; final: Doc }> = [
  { name: 'changing a number is written', mutate: (d) => { d.counter = 5; }, wrote: true, final: { counter: 5, tags: ['x'], nested: { a: 1 } } },
  { name: 'setting a value it already has writes nothing', mutate: (d) => { d.counter = 0; }, wrote: false, final: defaults() },
  { name: 'replacing an object with an equal copy writes nothing', mutate: (d) => { d.nested = { a: 1 }; }, wrote: false, final: defaults() },
  { name: 'a mutation that does nothing writes nothing', mutate: () => undefined, wrote: false, final: defaults() },
  { name: 'adding a key is written', mutate: (d) => { d.nested.b = 2; }, wrote: true, final: { counter: 0, tags: ['x'], nested: { a: 1, b: 2 } } },
  { name: 'pushing to an array is written', mutate: (d) => { d.tags.push('y'); }, wrote: true, final: { counter: 0, tags: ['x', 'y'], nested: { a: 1 } } },
];

/** Registers the Store contract for one implementation. */
export function storeContract(name: string, factory: StoreFactory): void {
  async function withStore(run: (store: Store<Doc>) => Promise<void>): Promise<void> {
    const { store, cleanup } = await factory(defaults());
    try {
      await run(store);
    } finally {
      await store.close();
      await cleanup();
    }
  }

  describe(`Store contract: ${name}`, () => {
    it('starts from the defaults', () =>
      withStore(async (store) => {
        assert.deepEqual(store.read(), defaults());
      }));

    for (const c of UPDATE_CASES) {
      it(c.name, () =>
        withStore(async (store) => {
          assert.equal(await store.update(c.mutate), c.wrote);
          assert.deepEqual(store.read(), c.final);
        }));
    }

    it('hands out frozen snapshots that later updates do not change', () =>
      withStore(async (store) => {
        const before = store.read();
        assert.throws(() => {
          before.counter = 9;
        }, TypeError);
        assert.throws(() => before.tags.push('z'), TypeError);
        await store.update((d) => {
          d.counter = 1;
        });
        assert.equal(before.counter, 0);
        assert.equal(store.read().counter, 1);
      }));

    it('runs concurrent updates one at a time', () =>
      withStore(async (store) => {
        const wrote = await Promise.all(
          Array.from({ length: 100 }, () =>
            store.update((d) => {
              d.counter += 1;
            }),
          ),
        );
        assert.ok(wrote.every(Boolean));
        assert.equal(store.read().counter, 100);
      }));

    it('leaves the state unchanged when the mutation throws, and keeps working', () =>
      withStore(async (store) => {
        await assert.rejects(
          store.update((d) => {
            d.counter = 7;
            throw new Error('halfway');
          }),
          /halfway/,
        );
        assert.deepEqual(store.read(), defaults());
        assert.equal(await store.update((d) => { d.counter = 2; }), true);
        assert.equal(store.read().counter, 2);
      }));

    it('rejects updates after close', () =>
      withStore(async (store) => {
        await store.close();
        await assert.rejects(store.update((d) => { d.counter = 3; }), /closed/);
      }));
  });
}

// Runs the Store contract against every implementation.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { storeContract } from '../contract/store.contract.js';

storeContract('MemoryStore', async (defaults) => ({ store: new MemoryStore(defaults), cleanup: async () => undefined }));

storeContract('LowdbStore', async (defaults) => {
  const dir = await mkdtemp(join(tmpdir(), 'dsr-store-'));
  const store = await LowdbStore.open(join(dir, 'state.json'), defaults);
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

// Wiring: the state store of a data folder.
import { join } from 'node:path';
import { LowdbStore } from './lowdb-store.js';
import { DEFAULT_STATE, STATE_FILE, isDsrState } from './state.js';
import type { DsrState } from './state.js';
import type { Store } from './store.js';

/** Opens `<dataDir>/state.json` as DSR's state store (defaults for a fresh folder, corrupt files moved aside). */
export function openStateStore(dataDir: string, options: { warn?: (message: string) => void; clock?: () => Date } = {}): Promise<Store<DsrState>> {
  return LowdbStore.open<DsrState>(join(dataDir, STATE_FILE), DEFAULT_STATE, { ...options, validate: isDsrState });
}

// The Store on disk: one JSON file through lowdb.
//
// Atomicity: lowdb's JSONFile adapter writes through steno's Writer (node_modules/steno/lib/index.js,
// steno 4): it writes the whole document to `.<name>.tmp` beside the file, then rename()s it over
// the file, so a reader or a crash sees the old document or the new one, never half of one. steno
// does not fsync; after a power loss the newest update may be lost, but not the file.
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { StoreError } from './errors.js';
import { SerialUpdates } from './serial-updates.js';
import type { Store } from './store.js';

/** Options for LowdbStore.open; every field is optional. */
export interface LowdbStoreOptions<T> {
  /** Rejects a file that parses but is not a T (e.g. written by another program); treated as corrupt. */
  validate?: (data: unknown) => data is T;
  clock?: () => Date;
  warn?: (message: string) => void;
}

/** A Store persisted as one JSON file, written atomically and only when the state changed. */
export class LowdbStore<T> implements Store<T> {
  readonly #updates: SerialUpdates<T>;

  private constructor(updates: SerialUpdates<T>) {
    this.#updates = updates;
  }

  /**
   * Opens `file`, or starts from `defaults` when it does not exist. A file that does not parse
   * (or fails `validate`) is moved aside to `<file>.corrupt-<time>` with a warning and the
   * defaults are used: losing small state beats refusing to start.
   */
  static async open<T>(file: string, defaults: T, options: LowdbStoreOptions<T> = {}): Promise<LowdbStore<T>> {
    const warn = options.warn ?? console.warn;
    const clock = options.clock ?? (() => new Date());
    const adapter = new JSONFile<T>(file);
    let initial: T = defaults;
    try {
      await mkdir(dirname(file), { recursive: true });
      initial = (await readValid(adapter, options.validate)) ?? defaults;
    } catch (err) {
      if (!(err instanceof CorruptStateError)) throw new StoreError(`open state file ${file}`, { cause: err });
      const aside = `${file}.corrupt-${clock().toISOString().replace(/[:.]/g, '-')}`;
      try {
        await rename(file, aside);
      } catch (cause) {
        throw new StoreError(`move corrupt state file ${file} aside to ${aside}`, { cause });
      }
      warn(`state: ${file} is unreadable (${err.message}); moved it to ${aside} and started from defaults`);
    }
    const db = new Low<T>(adapter, initial);
    const persist = async (next: T): Promise<void> => {
      db.data = next;
      await db.write();
    };
    return new LowdbStore(new SerialUpdates(initial, persist, file));
  }

  /** See Store.read. */
  read(): T {
    return this.#updates.read();
  }

  /** See Store.update. */
  update(mutate: (draft: T) => void): Promise<boolean> {
    return this.#updates.update(mutate);
  }

  /** See Store.close. */
  close(): Promise<void> {
    return this.#updates.close();
  }
}

class CorruptStateError extends Error {}

/** The file's document, null when there is no file; throws CorruptStateError when it is not a valid T. */
async function readValid<T>(adapter: JSONFile<T>, validate: ((data: unknown) => data is T) | undefined): Promise<T | null> {
  let data: T | null;
  try {
    data = await adapter.read();
  } catch (err) {
    if (err instanceof SyntaxError) throw new CorruptStateError(`not JSON: ${err.message}`);
    throw err;
  }
  if (data !== null && validate && !validate(data)) throw new CorruptStateError('not a valid state document');
  return data;
}

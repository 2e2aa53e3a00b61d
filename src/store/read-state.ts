// Reading `<data>/state.json` without opening it as a store: `dsr plan` must see the rollout state
// a running DSR keeps, but never write it (a second writer would race the running DSR's updates).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_STATE, STATE_FILE, isDsrState, type DsrState } from './state.js';

/** The state document, or the defaults with a note saying why it could not be used. */
export interface StateSnapshot {
  state: DsrState;
  file: string;
  /** Null when the file was read; else one line for the user (missing, unreadable, not DSR's). */
  note: string | null;
}

/** Reads `<dataDir>/state.json` read-only; a missing or bad file gives the defaults and a note. */
export async function readStateSnapshot(dataDir: string): Promise<StateSnapshot> {
  const file = join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { state: DEFAULT_STATE, file, note: `no DSR state read from ${file} (${why}): planning as for a first start; pass --data (or DSR_DATA) with the folder \`dsr run\` uses` };
  }
  try {
    const data: unknown = JSON.parse(text);
    if (isDsrState(data)) return { state: data, file, note: null };
  } catch {
    // Reported below, like a document that parses but is not DSR's.
  }
  return { state: DEFAULT_STATE, file, note: `${file} is not a DSR state document: planning as for a first start` };
}

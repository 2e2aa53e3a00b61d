// The files of a JSONL event log: the active file `events.jsonl`, and closed segments named by
// the id of their first event, `events-000000000042.jsonl`, so a query can tell which ids a
// segment holds without opening it (it ends where the next file begins).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the file being appended to. */
export const ACTIVE_FILE = 'events.jsonl';

/** A closed segment: its path, the id of its first event, and its size. */
export interface Segment {
  path: string;
  firstId: number;
  bytes: number;
}

const SEGMENT_NAME = /^events-(\d+)\.jsonl$/;

/** The file name of the segment whose first event is `firstId`, zero-padded so `ls` sorts it. */
export function segmentName(firstId: number): string {
  return `events-${String(firstId).padStart(12, '0')}.jsonl`;
}

/** Lists the segments in `dir` with their sizes, oldest first. Other files are ignored. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    segments.push({ path, firstId: Number(match[1]), bytes: (await stat(path)).size });
  }
  return segments.sort((a, b) => a.firstId - b.firstId);
}

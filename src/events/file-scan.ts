// Queries that the in-memory ring cannot answer, read from the files. Segment names carry their
// first id, so files that cannot hold a wanted id are never opened.
import { parseEventLine } from './event.js';
import { readLinesBackward, readLinesForward } from './line-reader.js';
import type { RawLine } from './line-reader.js';
import type { ScanCounter } from './query.js';
import { offsetAfter, offsetBefore } from './seek.js';
import { openIfExists } from './tail.js';
import type { DsrEvent, EventQuery } from './types.js';

/** A file of the log and the id its first event has (or would have, for an empty active file). */
export interface LogFile {
  path: string;
  firstId: number;
}

/** Reports a corrupt line once per file, so a damaged segment does not flood the log on every query. */
export type CorruptLineReporter = (path: string, offset: number) => void;

/**
 * Feeds `counter` the events with id > `q.since` (and < `q.before`) from `files` (oldest first),
 * oldest first, until it stops. A file whose successor starts at or before `since + 1` ends at or
 * before `since` and is skipped unread; in the file `since` falls in, the start is found by binary
 * search, so resuming a long scan from its `resumeAt` costs a few reads, not a re-read.
 */
export async function scanForward(files: readonly LogFile[], q: EventQuery, counter: ScanCounter, corrupt: CorruptLineReporter): Promise<void> {
  const since = q.since ?? 0;
  for (let i = 0; i < files.length && !counter.stopped(); i++) {
    const next = files[i + 1];
    if (next && next.firstId - 1 <= since) continue;
    const file = files[i]!;
    if (file.firstId >= counter.before) return;
    const fh = await openIfExists(file.path);
    if (!fh) continue;
    try {
      // Only the file `since` falls in needs the search; later files are read from the start.
      const from = file.firstId <= since ? await offsetAfter(fh, (await fh.stat()).size, since) : 0;
      for await (const line of readLinesForward(fh, from)) {
        const e = toEvent(line, file.path, corrupt);
        if (!e || e.id <= since) continue;
        if (e.id >= counter.before) return;
        if (counter.examine(e)) return;
      }
    } finally {
      await fh.close();
    }
  }
}

/**
 * Feeds `counter` the events with id < `below` from `files` (oldest first), newest first, reading
 * each file from its end backwards, until it stops; files starting at or after `below` are skipped.
 */
export async function scanBackward(files: readonly LogFile[], below: number, counter: ScanCounter, corrupt: CorruptLineReporter): Promise<void> {
  for (let i = files.length - 1; i >= 0 && !counter.stopped(); i--) {
    const file = files[i]!;
    if (file.firstId >= below) continue;
    const fh = await openIfExists(file.path);
    if (!fh) continue;
    try {
      const { size } = await fh.stat();
      // Only the file `below` falls in needs the search; earlier files are read from their end.
      const next = files[i + 1];
      const end = below !== Infinity && (!next || next.firstId > below) ? await offsetBefore(fh, size, below) : size;
      for await (const line of readLinesBackward(fh, end)) {
        // An unterminated last line is an append in progress: not an event yet.
        const e = line.terminated ? toEvent(line, file.path, corrupt) : null;
        if (e && e.id < below && counter.examine(e)) return;
      }
    } finally {
      await fh.close();
    }
  }
}

function toEvent(line: RawLine, path: string, corrupt: CorruptLineReporter): DsrEvent | null {
  if (line.bytes.length === 0) return null;
  const e = parseEventLine(line.bytes.toString('utf8'));
  if (!e) corrupt(path, line.start);
  return e;
}

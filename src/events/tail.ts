// Reading the end of the log at open: repair a torn last line, and load the newest events. Both
// read backwards from the end of the files, so opening costs the same for a log of any length.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parseEventLine } from './event.js';
import { readLinesBackward, readLinesForward } from './line-reader.js';
import type { DsrEvent } from './types.js';

/**
 * Cuts an incomplete (or corrupt) last line off the file open in `fh`, so the next append starts
 * on a fresh line. Only trailing lines that are not events are removed; the last complete event
 * and everything before it stay. Returns the file's size afterwards.
 */
export async function repairTail(fh: FileHandle, path: string, warn: (message: string) => void): Promise<number> {
  const size = (await fh.stat()).size;
  let keep = size;
  for await (const line of readLinesBackward(fh, size)) {
    if (line.terminated && parseEventLine(line.bytes.toString('utf8')) !== null) break;
    keep = line.start;
  }
  if (keep < size) {
    warn(
      `event log: ${path}: dropped ${size - keep} bytes after the last complete event ` +
        `(a write interrupted by a crash?); earlier events are intact`,
    );
    await fh.truncate(keep);
  }
  return keep;
}

/** The newest events of a log, oldest first, and whether they are all of it. */
export interface RecentRead {
  events: DsrEvent[];
  all: boolean;
}

/** Reads the newest `count` events from `paths` (newest file first), reading backwards. Missing files are skipped. */
export async function readRecent(paths: readonly string[], count: number): Promise<RecentRead> {
  const newestFirst: DsrEvent[] = [];
  for (const path of paths) {
    const fh = await openIfExists(path);
    if (!fh) continue;
    try {
      const { size } = await fh.stat();
      for await (const line of readLinesBackward(fh, size)) {
        const event = line.terminated ? parseEventLine(line.bytes.toString('utf8')) : null;
        if (!event) continue;
        newestFirst.push(event);
        if (newestFirst.length >= count) return { events: newestFirst.reverse(), all: false };
      }
    } finally {
      await fh.close();
    }
  }
  return { events: newestFirst.reverse(), all: true };
}

/** The id of the first event in the file open in `fh`, null when it holds none. Reads a few KiB. */
export async function firstIdIn(fh: FileHandle): Promise<number | null> {
  for await (const line of readLinesForward(fh, 0, 4096)) {
    const event = parseEventLine(line.bytes.toString('utf8'));
    if (event) return event.id;
  }
  return null;
}

/** Opens `path` for reading, or returns null when it does not exist (deleted by retention meanwhile). */
export async function openIfExists(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

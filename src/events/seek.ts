// Finding where `since` falls inside one file without reading up to it. Ids increase line by
// line within a file, so a binary search over byte offsets narrows the start of a forward scan
// to a small window: paging through old history costs a few reads, not a scan of 10 MiB.
import type { FileHandle } from 'node:fs/promises';
import { parseEventLine } from './event.js';
import { readLinesForward } from './line-reader.js';

const NEWLINE = 0x0a;
/** Below this window the search stops and the caller scans forward. */
const WINDOW = 64 * 1024;
/** Bytes read per probe; a line longer than this makes the probe inconclusive, never wrong. */
const PROBE = 16 * 1024;

/**
 * A line-start offset in the first `size` bytes of `fh` such that every line before it has an
 * id ≤ `since`. Scanning forward from it finds every event with id > `since`.
 * Example: lines with ids 1..100 000, since 70 000 → an offset within 64 KiB before line 70 001.
 */
export async function offsetAfter(fh: FileHandle, size: number, since: number): Promise<number> {
  let lo = 0; // a line start; all lines before it have id ≤ since
  let hi = size; // the answer lies in [lo, hi]
  const buf = Buffer.alloc(PROBE);
  while (hi - lo > WINDOW) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const { bytesRead } = await fh.read(buf, 0, PROBE, mid);
    const probe = firstEventIn(buf.subarray(0, bytesRead));
    if (probe !== null && probe.id <= since) {
      // Every line up to and including the probed one has id ≤ since.
      lo = mid + probe.end + 1;
    } else {
      // Past `since`, or nothing readable in the probe: the answer is before `mid` (conservative).
      hi = mid;
    }
  }
  return lo;
}

/** The first complete, parseable line in `view` after its first '\n': its id and the offset of its '\n'. */
function firstEventIn(view: Buffer): { id: number; end: number } | null {
  let start = view.indexOf(NEWLINE) + 1;
  if (start === 0) return null;
  for (let end = view.indexOf(NEWLINE, start); end >= 0; start = end + 1, end = view.indexOf(NEWLINE, start)) {
    const event = parseEventLine(view.subarray(start, end).toString('utf8'));
    if (event !== null) return { id: event.id, end };
  }
  return null;
}

/**
 * The start of the first line in the first `size` bytes of `fh` with an id ≥ `before` (`size`
 * when none): reading backwards from it yields exactly the lines with id < `before`. A binary
 * search (offsetAfter) and at most one window read, so resuming a backward scan in the middle of a
 * 10 MiB file does not read the file's end again. Example: ids 1..100 000, before 70 001 → the
 * offset of line 70 001.
 */
export async function offsetBefore(fh: FileHandle, size: number, before: number): Promise<number> {
  const from = await offsetAfter(fh, size, before - 1);
  for await (const line of readLinesForward(fh, from)) {
    if (line.start + line.bytes.length >= size) break;
    const event = parseEventLine(line.bytes.toString('utf8'));
    if (event !== null && event.id >= before) return line.start;
  }
  return size;
}

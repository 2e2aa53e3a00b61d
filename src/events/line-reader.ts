// Chunked line readers over an open file. Lines are split on the byte 0x0A before decoding,
// which is safe for UTF-8: that byte never occurs inside a multi-byte character.
import type { FileHandle } from 'node:fs/promises';

/** One line of a file: its bytes (without '\n'), where it starts, and whether a '\n' ends it. */
export interface RawLine {
  bytes: Buffer;
  start: number;
  terminated: boolean;
}

const NEWLINE = 0x0a;

/**
 * Yields the lines of the first `size` bytes of `fh`, last line first, reading `chunkBytes` at a
 * time from the end: the cost is proportional to how many lines the caller consumes, not to the
 * file size. Only the final line can be unterminated (a torn write); an empty tail after a final
 * '\n' is not yielded.
 */
export async function* readLinesBackward(fh: FileHandle, size: number, chunkBytes = 64 * 1024): AsyncGenerator<RawLine> {
  let pos = size;
  // Bytes [pos, pos + carry.length) whose line starts before `pos`, not yet yielded.
  let carry: Buffer = Buffer.alloc(0);
  while (pos > 0) {
    const n = Math.min(chunkBytes, pos);
    pos -= n;
    const chunk = await readExactly(fh, pos, n);
    const data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
    let end = data.length;
    let nl = end > 0 ? data.lastIndexOf(NEWLINE, end - 1) : -1;
    while (nl >= 0) {
      const absEnd = pos + end;
      if (nl + 1 < end || absEnd < size) {
        yield { bytes: data.subarray(nl + 1, end), start: pos + nl + 1, terminated: absEnd < size };
      }
      end = nl;
      // lastIndexOf with a negative offset counts from the end, so stop explicitly at 0.
      nl = nl > 0 ? data.lastIndexOf(NEWLINE, nl - 1) : -1;
    }
    carry = data.subarray(0, end);
  }
  // The first line: possibly empty, when the file starts with '\n'.
  if (size > 0) yield { bytes: carry, start: 0, terminated: carry.length < size };
}

/**
 * Yields the '\n'-terminated lines of `fh` from byte `from` to the end of the file, first line
 * first. An unterminated tail is not yielded: it is an append still in progress or a torn write.
 */
export async function* readLinesForward(fh: FileHandle, from = 0, chunkBytes = 256 * 1024): AsyncGenerator<RawLine> {
  let pos = from;
  let carry: Buffer = Buffer.alloc(0);
  for (;;) {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await fh.read(chunk, 0, chunkBytes, pos);
    if (bytesRead === 0) return;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const dataStart = pos - carry.length;
    let begin = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, begin)) {
      yield { bytes: data.subarray(begin, nl), start: dataStart + begin, terminated: true };
      begin = nl + 1;
    }
    carry = data.subarray(begin);
    pos += bytesRead;
  }
}

async function readExactly(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) return buf.subarray(0, done);
    done += bytesRead;
  }
  return buf;
}

// Turns a manifest file's bytes into text, or says precisely why they are not a manifest:
// too big, binary, UTF-16, or not valid UTF-8. Runs before YAML parsing, which would otherwise
// produce confusing errors (or none: U+FFFD is a valid character) for such input.
import { MAX_MANIFEST_BYTES } from './limits.js';

/** Where in the file a decoding problem sits, and what it is. */
export interface DecodeProblem {
  line: number;
  column: number;
  message: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Line and column (1-based, column in characters) of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, offset - lineStart).toString('utf8');
  return { line, column: prefix.length + 1 };
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const extra = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (extra === 0 || i + extra >= b.length) return i;
    for (let k = 1; k <= extra; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    const second = b[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF (RFC 3629 table).
    if ((c === 0xe0 && second < 0xa0) || (c === 0xed && second > 0x9f)) return i;
    if ((c === 0xf0 && second < 0x90) || (c === 0xf4 && second > 0x8f)) return i;
    i += extra + 1;
  }
  return -1;
}

/** Decodes a manifest file's bytes as UTF-8 text (a leading BOM is dropped). */
export function decodeManifest(bytes: Uint8Array): { text: string } | { problem: DecodeProblem } {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    const message = `file is ${bytes.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte (1 MiB) limit for a manifest; split it into several files`;
    return { problem: { line: 0, column: 0, message } };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { line: 1, column: 1, message: 'file is UTF-16 encoded; save it as UTF-8' } };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const message = 'file contains a NUL byte: it is binary or corrupted, not YAML text; remove it from the manifests folder';
    return { problem: { ...bytePosition(bytes, nul), message } };
  }
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const at = bad >= 0 ? bytePosition(bytes, bad) : { line: 1, column: 1 };
    const byte = bad >= 0 ? ` (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')})` : '';
    return { problem: { ...at, message: `file is not valid UTF-8${byte}; save it as UTF-8` } };
  }
}

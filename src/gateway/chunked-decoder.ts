// Decoding of chunked transfer coding (RFC 9112 §7.1), byte by byte across any split of the
// input: chunk sizes in hex with optional extensions (ignored), data, and trailer fields (dropped,
// as node re-frames the body for the client). Pure.
import { ResponseParseError } from './response-errors.js';
import type { ResponseSink } from './response-parser.js';

type ChunkPhase = 'size' | 'ext' | 'size-lf' | 'data' | 'data-cr' | 'data-lf' | 'trailer-start' | 'trailer' | 'trailer-lf' | 'trailer-end-lf' | 'finished';

/** State of one chunked body. */
export class ChunkedDecoder {
  private phase: ChunkPhase = 'size';
  private remaining = 0;
  private digits = 0;

  /** Prepares for a new body. */
  reset(): void {
    this.phase = 'size';
    this.remaining = 0;
    this.digits = 0;
  }

  /** True once the last chunk and the trailers were read. */
  get finished(): boolean {
    return this.phase === 'finished';
  }

  /** Decodes from data[i], passing chunk data to `sink.onBody`; returns the index after what it consumed. */
  decode(data: Buffer, i: number, sink: Pick<ResponseSink, 'onBody'>): number {
    while (i < data.length) {
      const c = data[i]!;
      switch (this.phase) {
        case 'size': {
          const digit = hexValue(c);
          if (digit !== -1 && this.digits < 12) {
            this.remaining = this.remaining * 16 + digit;
            this.digits++;
          } else if (this.digits > 0 && (c === 0x3b || c === 0x20 || c === 0x09)) this.phase = 'ext';
          else if (this.digits > 0 && c === 0x0d) this.phase = 'size-lf';
          else throw new ResponseParseError('invalid chunk size');
          i++;
          break;
        }
        case 'ext':
          if (c === 0x0d) this.phase = 'size-lf';
          i++;
          break;
        case 'size-lf':
          if (c !== 0x0a) throw new ResponseParseError('invalid chunk size line');
          this.phase = this.remaining === 0 ? 'trailer-start' : 'data';
          this.digits = 0;
          i++;
          break;
        case 'data': {
          const take = Math.min(this.remaining, data.length - i);
          sink.onBody(data.subarray(i, i + take));
          this.remaining -= take;
          if (this.remaining === 0) this.phase = 'data-cr';
          i += take;
          break;
        }
        case 'data-cr':
          if (c !== 0x0d) throw new ResponseParseError('chunk data longer than its size');
          this.phase = 'data-lf';
          i++;
          break;
        case 'data-lf':
          if (c !== 0x0a) throw new ResponseParseError('invalid chunk terminator');
          this.phase = 'size';
          i++;
          break;
        case 'trailer-start':
          this.phase = c === 0x0d ? 'trailer-end-lf' : 'trailer';
          i++;
          break;
        case 'trailer':
          if (c === 0x0d) this.phase = 'trailer-lf';
          i++;
          break;
        case 'trailer-lf':
          if (c !== 0x0a) throw new ResponseParseError('invalid trailer line');
          this.phase = 'trailer-start';
          i++;
          break;
        case 'trailer-end-lf':
          if (c !== 0x0a) throw new ResponseParseError('invalid end of chunked body');
          this.phase = 'finished';
          return i + 1;
        default:
          return i;
      }
    }
    return i;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

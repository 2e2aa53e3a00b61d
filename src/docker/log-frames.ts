// Docker's log stream, decoded. Pure. Without a TTY the engine multiplexes stdout and stderr into
// frames: an 8-byte header [stream (1 stdout, 2 stderr), 0, 0, 0, payload size uint32 BE] and the
// payload. Frames split lines and chunks split frames anywhere, so both are reassembled here.
// With `timestamps: true` every line starts with an RFC 3339 time and a space.
import type { LogStream, RawLogLine } from '../runtime/runtime.js';

/** Longest line kept; the rest is cut and marked, so one runaway line cannot fill memory. */
export const MAX_LINE_BYTES = 16 * 1024;

const STREAMS: Record<number, LogStream> = { 0: 'stdout', 1: 'stdout', 2: 'stderr' };

/** Splits a multiplexed log stream into lines per stream. Feed it chunks in order; end() flushes. */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  /** A TTY container's stream has no frames: once a header does not parse, everything is stdout. */
  private raw = false;
  private readonly partial: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  private readonly partialBytes: Record<LogStream, number> = { stdout: 0, stderr: 0 };

  /** Consumes a chunk and returns the lines it completed. */
  push(chunk: Buffer): RawLogLine[] {
    const out: RawLogLine[] = [];
    if (this.raw) {
      this.payload('stdout', chunk, out);
      return out;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0]!;
      if (!(type in STREAMS) || this.pending[1] !== 0 || this.pending[2] !== 0 || this.pending[3] !== 0) {
        this.raw = true;
        this.payload('stdout', this.pending, out);
        this.pending = Buffer.alloc(0);
        return out;
      }
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.payload(STREAMS[type]!, this.pending.subarray(8, 8 + size), out);
      this.pending = this.pending.subarray(8 + size);
    }
    return out;
  }

  /** The unterminated last line of each stream, if any (the container's output ended without a newline). */
  end(): RawLogLine[] {
    const out: RawLogLine[] = [];
    if (this.pending.length > 0 && this.raw) this.payload('stdout', this.pending, out);
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream].length > 0) out.push(parseLine(stream, Buffer.concat(this.partial[stream]).toString('utf8')));
      this.partial[stream] = [];
      this.partialBytes[stream] = 0;
    }
    return out;
  }

  private payload(stream: LogStream, data: Buffer, out: RawLogLine[]): void {
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
      this.keep(stream, data.subarray(start, nl));
      const line = Buffer.concat(this.partial[stream]).toString('utf8').replace(/\r$/, '');
      const cut = this.partialBytes[stream] > MAX_LINE_BYTES;
      this.partial[stream] = [];
      this.partialBytes[stream] = 0;
      const parsed = parseLine(stream, line);
      if (cut) parsed.text += ' [line cut]';
      out.push(parsed);
      start = nl + 1;
    }
    if (start < data.length) this.keep(stream, data.subarray(start));
  }

  private keep(stream: LogStream, bytes: Buffer): void {
    const room = MAX_LINE_BYTES - Math.min(this.partialBytes[stream], MAX_LINE_BYTES);
    // Copy: the chunk's buffer may be reused by the stream after push() returns.
    if (room > 0) this.partial[stream].push(Buffer.from(bytes.subarray(0, room)));
    this.partialBytes[stream] += bytes.length;
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;

/** Splits Docker's timestamp off a line: "2024-01-02T03:04:05.123456789Z hello" → time + "hello". */
export function parseLine(stream: LogStream, line: string): RawLogLine {
  const m = TIMESTAMP.exec(line);
  if (!m) return { stream, timeMs: NaN, time: '', text: line };
  return { stream, timeMs: Date.parse(m[1]!), time: m[1]!, text: line.slice(m[0].length) };
}

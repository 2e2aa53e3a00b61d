// The output of a command run with the Engine's exec API, decoded and bounded. Pure. Without a TTY
// the engine multiplexes stdout and stderr in frames (8-byte header [stream, 0, 0, 0, size uint32
// BE], then the payload; see log-frames.ts); a check only needs the end of what it printed, so
// only the last `limit` bytes are kept however much the command writes.

/** Collects the payload of an exec's multiplexed stream, keeping only its last `limit` bytes. */
export class ExecOutputTail {
  private pending: Buffer = Buffer.alloc(0);
  /** Once a header does not parse (a TTY exec has no frames), everything is payload. */
  private raw = false;
  private kept: Buffer[] = [];
  private keptBytes = 0;

  constructor(private readonly limit: number) {}

  /** Consumes one chunk of the stream, in order. */
  push(chunk: Buffer): void {
    if (this.raw) return this.keep(chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0]!;
      if (type > 2 || this.pending[1] !== 0 || this.pending[2] !== 0 || this.pending[3] !== 0) {
        this.raw = true;
        this.keep(this.pending);
        this.pending = Buffer.alloc(0);
        return;
      }
      const size = this.pending.readUInt32BE(4);
      // Payloads are only concatenated, so a frame is consumed as it arrives, never reassembled:
      // the buffer holds at most one header and one chunk.
      const available = Math.min(size, this.pending.length - 8);
      if (available === 0 && size > 0) break;
      this.keep(this.pending.subarray(8, 8 + available));
      this.pending = available === size ? this.pending.subarray(8 + size) : rewriteHeader(this.pending, size - available);
    }
  }

  /** What was kept, as text (a cut may split a UTF-8 character: it decodes as U+FFFD). */
  text(): string {
    const all = Buffer.concat(this.kept);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }

  private keep(data: Buffer): void {
    if (data.length === 0) return;
    // Copies: the stream may reuse its buffers.
    this.kept.push(Buffer.from(data));
    this.keptBytes += data.length;
    while (this.kept.length > 1 && this.keptBytes - this.kept[0]!.length >= this.limit) {
      this.keptBytes -= this.kept.shift()!.length;
    }
  }
}

/** A header for the rest of a frame whose first part was consumed: same stream, `remaining` bytes. */
function rewriteHeader(pending: Buffer, remaining: number): Buffer {
  const header = Buffer.alloc(8);
  header[0] = pending[0]!;
  header.writeUInt32BE(remaining, 4);
  return header;
}

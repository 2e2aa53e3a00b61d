// ExecOutputTail: the Engine's multiplexed exec stream becomes the last N bytes of what the
// command printed, whatever way the chunks cut the frames.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExecOutputTail } from '../../src/docker/exec-output.js';

/** One frame of stream 1 (stdout) or 2 (stderr). */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function collect(chunks: Buffer[], limit = 4096): string {
  const tail = new ExecOutputTail(limit);
  for (const chunk of chunks) tail.push(chunk);
  return tail.text();
}

/** Cuts a buffer into pieces of `size` bytes. */
function cut(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size));
  return out;
}

describe('ExecOutputTail', () => {
  const stream = Buffer.concat([frame(1, 'checking\n'), frame(2, 'pg_isready: no response\n'), frame(1, 'done\n')]);
  const cases: Array<{ name: string; chunks: Buffer[]; limit?: number; expected: string }> = [
    { name: 'joins stdout and stderr in the order they came', chunks: [stream], expected: 'checking\npg_isready: no response\ndone\n' },
    { name: 'reassembles frames cut one byte at a time', chunks: cut(stream, 1), expected: 'checking\npg_isready: no response\ndone\n' },
    { name: 'reassembles headers cut in the middle', chunks: cut(stream, 5), expected: 'checking\npg_isready: no response\ndone\n' },
    { name: 'keeps only the last bytes', chunks: [stream], limit: 10, expected: 'onse\ndone\n' },
    { name: 'keeps the end of one frame larger than the limit, fed in pieces', chunks: cut(frame(1, `${'x'.repeat(10_000)}END`), 999), limit: 8, expected: 'xxxxxEND' },
    { name: 'takes a stream without frames (a TTY) as it is', chunks: [Buffer.from('plain text\n')], expected: 'plain text\n' },
    { name: 'is empty when nothing was printed', chunks: [], expected: '' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(collect(c.chunks, c.limit), c.expected));
  }

  it('holds memory bounded by the limit while a command prints megabytes', () => {
    const tail = new ExecOutputTail(4096);
    const chunk = frame(1, 'y\n'.repeat(32_768));
    for (let i = 0; i < 64; i++) tail.push(chunk);
    const text = tail.text();
    assert.equal(text.length, 4096);
    assert.ok(text.endsWith('y\ny\n'));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogDemuxer, MAX_LINE_BYTES, parseLine } from '../../src/docker/log-frames.js';

/** One multiplexed frame. */
function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const TS = '2026-01-02T03:04:05.123456789Z';

/** Lines as "stream:text", after feeding `chunks` and ending. */
function lines(chunks: Buffer[]): string[] {
  const d = new LogDemuxer();
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()].map((l) => `${l.stream}:${l.text}`);
}

/** Cuts a buffer into pieces of `size` bytes. */
function slices(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

describe('docker log demultiplexing', () => {
  const both = Buffer.concat([frame(1, `${TS} hello\n`), frame(2, `${TS} oops\n`), frame(1, `${TS} bye\n`)]);
  const cases: Array<[string, Buffer[], string[]]> = [
    ['frames of both streams', [both], ['stdout:hello', 'stderr:oops', 'stdout:bye']],
    ['a chunk boundary inside a header', slices(both, 5), ['stdout:hello', 'stderr:oops', 'stdout:bye']],
    ['one byte at a time', slices(both, 1), ['stdout:hello', 'stderr:oops', 'stdout:bye']],
    ['a line split over two frames', [frame(1, `${TS} hel`), frame(2, `${TS} err\n`), frame(1, 'lo\n')], ['stderr:err', 'stdout:hello']],
    ['two lines in one frame', [frame(1, `${TS} a\n${TS} b\n`)], ['stdout:a', 'stdout:b']],
    ['an unterminated last line is flushed at the end', [frame(1, `${TS} tail`)], ['stdout:tail']],
    ['CRLF line ends', [frame(1, `${TS} win\r\n`)], ['stdout:win']],
    ['a TTY stream without frames', [Buffer.from(`${TS} plain\n${TS} text\n`)], ['stdout:plain', 'stdout:text']],
    ['a multi-byte character split across frames', [frame(1, Buffer.from(`${TS} né\n`).subarray(0, -2)), frame(1, Buffer.from('é\n').subarray(1))], ['stdout:né']],
  ];
  for (const [name, chunks, expected] of cases) it(name, () => assert.deepEqual(lines(chunks), expected));

  it('cuts a runaway line and says so', () => {
    const [line] = lines([frame(1, `${'x'.repeat(MAX_LINE_BYTES * 2)}\n`)]);
    assert.equal(line!.length, 'stdout:'.length + MAX_LINE_BYTES + ' [line cut]'.length);
  });
});

describe('docker log timestamps', () => {
  const cases: Array<[string, string, number, string]> = [
    ['nanoseconds, UTC', `${TS} hi`, Date.parse('2026-01-02T03:04:05.123Z'), 'hi'],
    ['no timestamp', 'just text', NaN, 'just text'],
    ['an offset', '2026-01-02T03:04:05+02:00 x', Date.parse('2026-01-02T01:04:05Z'), 'x'],
  ];
  for (const [name, line, ms, text] of cases) {
    it(name, () => {
      const got = parseLine('stdout', line);
      assert.equal(got.text, text);
      if (Number.isNaN(ms)) assert.ok(Number.isNaN(got.timeMs));
      else assert.equal(got.timeMs, ms);
    });
  }
});

// The chunked line readers under the JSONL log: every split of a file into chunks must give the
// same lines, and a torn (unterminated) last line must be told apart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLinesBackward, readLinesForward } from '../../src/events/line-reader.js';

interface Line {
  text: string;
  start: number;
  terminated: boolean;
}

const CASES: Array<{ name: string; content: string; lines: Line[] }> = [
  { name: 'an empty file has no lines', content: '', lines: [] },
  {
    name: 'terminated lines',
    content: 'ab\ncde\n',
    lines: [{ text: 'ab', start: 0, terminated: true }, { text: 'cde', start: 3, terminated: true }],
  },
  {
    name: 'a torn last line is unterminated',
    content: 'ab\ncd',
    lines: [{ text: 'ab', start: 0, terminated: true }, { text: 'cd', start: 3, terminated: false }],
  },
  {
    name: 'blank lines are kept as empty lines',
    content: '\n\nx\n',
    lines: [{ text: '', start: 0, terminated: true }, { text: '', start: 1, terminated: true }, { text: 'x', start: 2, terminated: true }],
  },
  {
    name: 'multi-byte characters survive chunk boundaries',
    content: 'héllo wörld €\n日本語\n',
    lines: [{ text: 'héllo wörld €', start: 0, terminated: true }, { text: '日本語', start: 18, terminated: true }],
  },
  {
    name: 'a file without any newline is one torn line',
    content: 'abcdefgh',
    lines: [{ text: 'abcdefgh', start: 0, terminated: false }],
  },
];

async function collect(gen: AsyncGenerator<{ bytes: Buffer; start: number; terminated: boolean }>): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of gen) out.push({ text: l.bytes.toString('utf8'), start: l.start, terminated: l.terminated });
  return out;
}

describe('line readers', () => {
  for (const c of CASES) {
    for (const chunk of [1, 2, 3, 5, 64]) {
      it(`${c.name} (chunks of ${chunk} bytes)`, async () => {
        const dir = await mkdtemp(join(tmpdir(), 'dsr-lines-'));
        try {
          const path = join(dir, 'f');
          await writeFile(path, c.content);
          const fh = await open(path, 'r');
          try {
            const size = Buffer.byteLength(c.content);
            assert.deepEqual(await collect(readLinesBackward(fh, size, chunk)), [...c.lines].reverse(), 'backward');
            assert.deepEqual(await collect(readLinesForward(fh, 0, chunk)), c.lines.filter((l) => l.terminated), 'forward');
          } finally {
            await fh.close();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

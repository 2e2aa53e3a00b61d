// The binary search that starts a `since` scan near its target inside a large file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offsetAfter, offsetBefore } from '../../src/events/seek.js';

const line = (id: number, pad = 80): string =>
  JSON.stringify({ id, time: '', kind: 'k', service: null, version: null, revision: null, message: 'x'.repeat(pad), data: {} }) + '\n';

interface Layout {
  name: string;
  lines: string[];
  /** How far before the first wanted line the search may stop: its window, more where probes hit long lines. */
  reach: number;
}

const regular = Array.from({ length: 20_000 }, (_, i) => line(i + 1));
const LAYOUTS: Layout[] = [
  { name: '20,000 equal lines', lines: regular, reach: 64 * 1024 + 200 },
  {
    name: 'lines longer than a probe and a corrupt line in between',
    lines: regular.map((l, i) => (i % 997 === 0 ? line(i + 1, 40_000) : i === 12_345 ? 'garbage\n' : l)),
    reach: 256 * 1024,
  },
  { name: 'a small file', lines: regular.slice(0, 10), reach: 64 * 1024 },
];

describe('offsetAfter', () => {
  for (const layout of LAYOUTS) {
    for (const since of [0, 1, 2, 9, 10, 4_321, 12_345, 12_346, 19_999, 20_000, 25_000]) {
      it(`${layout.name}, since ${since}: starts at a line with nothing wanted before it, close to the target`, async () => {
        const dir = await mkdtemp(join(tmpdir(), 'dsr-seek-'));
        try {
          const path = join(dir, 'f');
          const content = layout.lines.join('');
          await writeFile(path, content);
          const starts: number[] = [];
          let pos = 0;
          for (const l of layout.lines) {
            starts.push(pos);
            pos += Buffer.byteLength(l);
          }
          const fh = await open(path, 'r');
          const offset = await offsetAfter(fh, pos, since);
          await fh.close();
          const index = starts.indexOf(offset);
          assert.ok(index >= 0 || offset === pos, `offset ${offset} is a line start`);
          const before = layout.lines.slice(0, index < 0 ? layout.lines.length : index);
          for (const l of before) {
            const id = (JSON.parse(l.startsWith('{') ? l : '{"id":0}') as { id: number }).id;
            assert.ok(id <= since, `line ${id} before the offset is not wanted (since ${since})`);
          }
          const target = starts[Math.min(since, layout.lines.length)] ?? pos;
          assert.ok(target - offset <= layout.reach, `offset ${offset} is within reach of ${target}`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

describe('offsetBefore', () => {
  for (const layout of LAYOUTS) {
    for (const before of [1, 2, 10, 11, 4_321, 12_346, 20_000, 20_001, 25_000]) {
      it(`${layout.name}, before ${before}: ends exactly at the first line with id ≥ before`, async () => {
        const dir = await mkdtemp(join(tmpdir(), 'dsr-seek-'));
        try {
          const path = join(dir, 'f');
          await writeFile(path, layout.lines.join(''));
          let pos = 0;
          let want: number | null = null;
          for (const l of layout.lines) {
            const id = l.startsWith('{') ? (JSON.parse(l) as { id: number }).id : 0;
            if (want === null && id >= before) want = pos;
            pos += Buffer.byteLength(l);
          }
          const fh = await open(path, 'r');
          const offset = await offsetBefore(fh, pos, before);
          await fh.close();
          assert.equal(offset, want ?? pos);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

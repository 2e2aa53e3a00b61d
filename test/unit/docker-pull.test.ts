import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ImagePullError } from '../../src/runtime/errors.js';
import { JsonLineSplitter } from '../../src/docker/json-lines.js';
import { followPull, readPullLine } from '../../src/docker/pull.js';
import type { PullProgress } from '../../src/docker/pull.js';

describe('JsonLineSplitter', () => {
  const cases: Array<{ name: string; chunks: string[]; want: unknown[] }> = [
    { name: 'reads one object per line', chunks: ['{"a":1}\n{"b":2}\n'], want: [{ a: 1 }, { b: 2 }] },
    { name: 'joins an object split across chunks', chunks: ['{"a"', ':1}\n'], want: [{ a: 1 }] },
    { name: 'skips blank lines and CRLF', chunks: ['\r\n{"a":1}\r\n\n'], want: [{ a: 1 }] },
    { name: 'keeps a garbled line instead of throwing', chunks: ['not json\n'], want: [{ unparsed: 'not json' }] },
    { name: 'flushes a last line without newline', chunks: ['{"a":1}\n{"b":2}'], want: [{ a: 1 }, { b: 2 }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const splitter = new JsonLineSplitter();
      assert.deepEqual([...c.chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()], c.want);
    });
  }
});

describe('readPullLine', () => {
  const cases: Array<{ name: string; raw: unknown; want: ReturnType<typeof readPullLine> }> = [
    { name: 'reads a plain status', raw: { status: 'Pulling from library/web' }, want: { progress: { status: 'Pulling from library/web' } } },
    { name: 'puts layer and progress in the detail', raw: { status: 'Downloading', id: 'a1b2', progress: '[=> ] 1MB/9MB' }, want: { progress: { status: 'Downloading', detail: 'a1b2: [=> ] 1MB/9MB' } } },
    { name: 'prefers errorDetail', raw: { error: 'short', errorDetail: { message: 'manifest unknown' } }, want: { error: 'manifest unknown' } },
    { name: 'reads a bare error', raw: { error: 'denied' }, want: { error: 'denied' } },
    { name: 'ignores lines without status', raw: { aux: { ID: 'sha' } }, want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(readPullLine(c.raw), c.want));
});

describe('followPull', () => {
  it('reports progress and resolves when the stream ends', async () => {
    const stream = new PassThrough();
    const seen: PullProgress[] = [];
    const done = followPull('web:v1', stream, (p) => seen.push(p));
    stream.end('{"status":"Pulling fs layer","id":"l1"}\n{"status":"Status: Downloaded newer image for web:v1"}\n');
    await done;
    assert.deepEqual(seen.map((p) => p.status), ['Pulling fs layer', 'Status: Downloaded newer image for web:v1']);
  });

  it('rejects with ImagePullError when the stream carries an error line', async () => {
    const stream = new PassThrough();
    const done = followPull('web:v9', stream, () => undefined);
    stream.end('{"status":"Pulling"}\n{"errorDetail":{"message":"manifest for web:v9 not found"},"error":"x"}\n');
    await assert.rejects(done, (err: unknown) => err instanceof ImagePullError && err.message === 'pull web:v9: manifest for web:v9 not found');
  });

  it('rejects with ImagePullError when the stream closes early', async () => {
    const stream = new PassThrough();
    const done = followPull('web:v1', stream, () => undefined);
    stream.write('{"status":"Downloading"}\n');
    stream.destroy();
    await assert.rejects(done, ImagePullError);
  });
});

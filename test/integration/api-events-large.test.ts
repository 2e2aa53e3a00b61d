// The event routes on a large log (about 36 MB, generated in well under a second): one request
// examines a bounded amount of it whatever the filter, the cursors lead to a match anywhere in it,
// and event streams are capped. "Bytes read" is the process's own read count (/proc/self/io
// rchar), so the bounds hold on a slow machine too; the times are printed, not asserted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { eventsPage } from '../../src/api/events-page.js';
import { eventsStream } from '../../src/api/events-stream.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import { ACTIVE_FILE, segmentName } from '../../src/events/segments.js';
import type { DsrEvent } from '../../src/events/types.js';
import { waitFor } from '../helpers/wait.js';

const EVENTS = 120_000;
const PER_FILE = 30_000;
/** The one event the filters look for, early in the log (a forward scan from 0 needs several pages). */
const NEEDLE = 45_001;
const MB = 1024 * 1024;

/** Writes the log's files directly: segments of PER_FILE events and the active file. Returns its size. */
function generateLog(dir: string): number {
  const pad = 'x'.repeat(150);
  let bytes = 0;
  for (let first = 1; first <= EVENTS; first += PER_FILE) {
    const lines: string[] = [];
    for (let id = first; id < first + PER_FILE && id <= EVENTS; id++) {
      const kind = id === NEEDLE ? 'needle.found' : 'test.filler';
      lines.push(JSON.stringify({ id, time: '2026-01-01T00:00:00.000Z', kind, service: 'web', version: 'v1', revision: null, message: `filler ${id} ${pad}`, data: { i: id } }));
    }
    const text = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, first + PER_FILE > EVENTS ? ACTIVE_FILE : segmentName(first)), text);
  }
  return bytes;
}

/** Bytes this process has read through read() and friends so far (Linux). */
function bytesRead(): number {
  const match = /^rchar:\s+(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  if (!match) throw new Error('/proc/self/io has no rchar line: this test needs Linux');
  return Number(match[1]);
}

interface Page {
  events: DsrEvent[];
  next: number | null;
  before: number | null;
}

describe('event routes on a 36 MB log', () => {
  let dir: string;
  let log: JsonlEventLog;
  let server: Server;
  let base: string;
  let port: number;
  let logBytes: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dsr-api-large-'));
    const started = Date.now();
    logBytes = generateLog(dir);
    console.log(`generated ${(logBytes / MB).toFixed(1)} MB, ${EVENTS} events, in ${Date.now() - started} ms`);
    log = await JsonlEventLog.open(dir);
    const app = express();
    app.get('/events', eventsPage(log));
    app.get('/events/stream', eventsStream(log, { maxStreams: 3, retryMs: 5_000 }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** GETs a page, returning it with the bytes read and the time taken while answering it. */
  async function page(path: string): Promise<{ body: Page; read: number; ms: number }> {
    const read0 = bytesRead();
    const t0 = performance.now();
    const res = await fetch(base + path);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Page;
    return { body, read: bytesRead() - read0, ms: performance.now() - t0 };
  }

  it('examines a bounded part of the log for a filter that matches nothing, and says where to continue', async () => {
    assert.ok(logBytes > 30 * MB);
    for (const path of ['/events?since=0&kind=nomatch', '/events?kind=nomatch', `/events?since=${NEEDLE + 1000}&kind=nomatch`]) {
      const { body, read, ms } = await page(path);
      console.log(`${path}: ${(read / MB).toFixed(1)} MB read, ${ms.toFixed(0)} ms`);
      assert.deepEqual(body.events, []);
      assert.ok(read < 10 * MB, `${path} read ${(read / MB).toFixed(1)} MB of a ${(logBytes / MB).toFixed(0)} MB log`);
      assert.ok((body.next ?? body.before) !== null, 'a cursor to continue');
    }
  });

  it('finds a match anywhere in the log by following next, each request bounded', async () => {
    const found: DsrEvent[] = [];
    let since: number | null = 0;
    let requests = 0;
    while (since !== null && found.length === 0 && requests < 50) {
      const { body, read } = await page(`/events?since=${since}&kind=needle.`);
      assert.ok(read < 10 * MB, `request ${requests} read ${(read / MB).toFixed(1)} MB`);
      found.push(...body.events);
      since = body.next;
      requests++;
    }
    console.log(`forward paging found the match after ${requests} requests`);
    assert.deepEqual(found.map((e) => e.id), [NEEDLE]);
    assert.ok(requests > 1, 'the match lies beyond one request’s bound');
  });

  it('finds a match anywhere in the log by following before, from the newest events back', async () => {
    const found: DsrEvent[] = [];
    let cursor: number | null = null;
    let requests = 0;
    do {
      const { body, read } = await page(`/events?kind=needle.found${cursor === null ? '' : `&before=${cursor}`}`);
      assert.ok(read < 10 * MB, `request ${requests} read ${(read / MB).toFixed(1)} MB`);
      found.push(...body.events);
      cursor = body.before;
      requests++;
    } while (found.length === 0 && cursor !== null && requests < 50);
    console.log(`backward paging found the match after ${requests} requests`);
    assert.deepEqual(found.map((e) => e.id), [NEEDLE]);
  });

  /** A raw client that asks for a full replay and never reads: the worst case for DSR's memory. */
  function idleStream(): Promise<{ socket: Socket; status: number; head: string }> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect(port, '127.0.0.1', () => socket.write('GET /events/stream?since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      socket.once('error', reject);
      socket.once('data', (chunk: Buffer) => {
        // Read the head, then stop reading for good.
        socket.pause();
        const head = chunk.toString('latin1').split('\r\n\r\n')[0]!;
        resolve({ socket, status: Number(head.split(' ')[1]), head });
      });
    });
  }

  it('serves at most maxStreams streams; one more gets 503 with Retry-After, and a closed one frees its place', async () => {
    const read0 = bytesRead();
    const open = [await idleStream(), await idleStream(), await idleStream()];
    assert.deepEqual(open.map((s) => s.status), [200, 200, 200]);
    const refused = await fetch(`${base}/events/stream?since=0`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.match(((await refused.json()) as { error: string }).error, /DSR_MAX_EVENT_STREAMS/);
    // The replays run until back-pressure stops them (the kernel's socket buffers are full), then
    // read nothing more: a client that never reads costs a page in DSR, not the log.
    let last = bytesRead();
    await waitFor('the idle replays to stall', async () => {
      await new Promise((r) => setTimeout(r, 500));
      const now = bytesRead();
      const stalled = now - last < 256 * 1024;
      last = now;
      return stalled;
    });
    const read = bytesRead() - read0;
    console.log(`3 idle full replays read ${(read / MB).toFixed(1)} MB of the log, then stalled`);
    // How far each got depends on the kernel's socket buffers (several MB on loopback), not on DSR.
    assert.ok(read < 3 * logBytes, `three replays that nobody reads stopped before the end (read ${(read / MB).toFixed(1)} MB)`);
    open[0]!.socket.destroy();
    const again = await waitFor('a free place', async () => {
      const res = await fetch(`${base}/events/stream`, { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) await res.body?.cancel();
      return res.status === 200 ? res : null;
    });
    await again.body?.cancel();
    for (const s of open) s.socket.destroy();
  });
});

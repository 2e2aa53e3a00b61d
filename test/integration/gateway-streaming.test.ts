// Bodies stream through the gateway both ways with backpressure: 100 MB in either direction
// leaves the process's memory flat, and a client that stops reading stops the instance.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { routes, startGateway, startUpstream } from './gateway-fixtures.js';
import type { TestGateway, Upstream } from './gateway-fixtures.js';

const MB = 1024 * 1024;
const TOTAL = 100 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

// Socket reads leave 64 KB buffers behind as garbage faster than V8 collects it unprompted; a
// collection before each sample makes RSS show what is alive (buffered), not what is pending.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs `work` while sampling RSS every 100 ms; returns the peak growth over the starting RSS, in MB. */
async function rssGrowth(work: () => Promise<void>): Promise<number> {
  gc();
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (Math.max(peak, process.memoryUsage.rss()) - start) / MB;
}

/** Writes `total` bytes of CHUNK to `out`, waiting for 'drain' whenever it is full. */
async function writeAll(out: NodeJS.WritableStream, total: number): Promise<void> {
  for (let sent = 0; sent < total; sent += CHUNK.length) {
    const piece = total - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - sent);
    if (!out.write(piece)) await new Promise((r) => out.once('drain', r));
  }
}

describe('gateway streaming', () => {
  let up: Upstream;
  let gw: TestGateway;
  let written = 0;

  before(async () => {
    up = await startUpstream('stream', (req, res) => {
      if (req.url === '/download') {
        written = 0;
        res.writeHead(200, { 'Content-Length': String(TOTAL) });
        const counting = { write: (b: Buffer) => ((written += b.length), res.write(b)), once: res.once.bind(res) } as unknown as NodeJS.WritableStream;
        void writeAll(counting, TOTAL).then(() => res.end());
      } else {
        let received = 0;
        req.on('data', (c: Buffer) => (received += c.length));
        req.on('end', () => res.end(String(received)));
      }
    });
    gw = await startGateway();
    gw.gateway.setRoutes(routes({ files: { versions: [['v1', 100, [up.port]]] } }));
  });
  after(async () => {
    await gw.close();
    await up.close();
  });

  it('streams a 100 MB download with flat memory', async (t) => {
    let received = 0;
    const download = () => new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: gw.port, path: '/gateway/files/download', agent: false }, (res) => {
        res.on('data', (c: Buffer) => (received += c.length));
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
    // The first exchange pays one-time costs that are not buffering (undici's llhttp WebAssembly
    // instance and its memory, JIT code, socket pools): measured after it, growth is what a
    // download keeps alive.
    await download();
    received = 0;
    const growth = await rssGrowth(download);
    assert.equal(received, TOTAL);
    t.diagnostic(`RSS growth ${growth.toFixed(1)} MB`);
    assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB`);
  });

  for (const [name, headers] of [
    ['with a Content-Length', { 'Content-Length': String(TOTAL) }],
    ['chunked', { 'Transfer-Encoding': 'chunked' }],
  ] as const) {
    it(`streams a 100 MB upload ${name} with flat memory`, async (t) => {
      let answer = '';
      const growth = await rssGrowth(() => new Promise<void>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: gw.port, path: '/gateway/files/upload', method: 'PUT', headers, agent: false }, (res) => {
          res.on('data', (c: Buffer) => (answer += c.toString()));
          res.on('end', resolve);
        });
        req.on('error', reject);
        void writeAll(req, TOTAL).then(() => req.end());
      }));
      assert.equal(answer, String(TOTAL));
      t.diagnostic(`RSS growth ${growth.toFixed(1)} MB`);
    assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB`);
    });
  }

  it('stops the instance while the client stops reading', async (t) => {
    await new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: gw.port, path: '/gateway/files/download', agent: false }, (res) => {
        res.once('data', () => {
          res.pause();
          setTimeout(() => {
            // Socket buffers on three hops hold a few MB at most; without backpressure the
            // instance would have written most of the 100 MB by now.
            t.diagnostic(`instance wrote ${(written / MB).toFixed(1)} MB before stalling`);
            assert.ok(written < 32 * MB, `instance wrote ${(written / MB).toFixed(1)} MB while the client was paused`);
            res.destroy();
            resolve();
          }, 500);
        });
        res.on('error', () => undefined);
      }).on('error', reject);
    });
  });
});

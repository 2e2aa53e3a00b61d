// GET /events and GET /events/stream over real HTTP, on a real event log on disk: paging with the
// `next` cursor, and a stream that resumes from Last-Event-ID without gaps or duplicates while
// events keep being appended.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { eventsPage } from '../../src/api/events-page.js';
import { eventsStream } from '../../src/api/events-stream.js';
import { SseParser } from '../../src/api/sse.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import type { DsrEvent, EventLog } from '../../src/events/types.js';
import { waitFor } from '../helpers/wait.js';

/** The log, counting live subscriptions so a test can see the stream clean up after itself. */
function counting(log: EventLog): EventLog & { subscribers(): number } {
  let n = 0;
  return Object.assign(Object.create(log) as EventLog, {
    subscribe(listener: (e: DsrEvent) => void) {
      n++;
      const off = log.subscribe(listener);
      let done = false;
      return () => {
        if (!done) n--;
        done = true;
        off();
      };
    },
    query: log.query.bind(log),
    scan: log.scan.bind(log),
    lastId: log.lastId.bind(log),
    subscribers: () => n,
  });
}

/** The log with queries that take 10 ms, as a replay from disk may: appends land mid-replay. */
function slow(log: EventLog): EventLog {
  return Object.assign(Object.create(log) as EventLog, {
    subscribe: log.subscribe.bind(log),
    lastId: log.lastId.bind(log),
    query: async (q: Parameters<EventLog['query']>[0]) => {
      await new Promise((r) => setTimeout(r, 10));
      return log.query(q);
    },
    scan: async (q: Parameters<EventLog['scan']>[0], max: number) => {
      await new Promise((r) => setTimeout(r, 10));
      return log.scan(q, max);
    },
  });
}

/** An SSE client: collects the events of one connection until closed. */
interface StreamClient {
  events: DsrEvent[];
  comments: number;
  status: number;
  close(): void;
  closed: Promise<void>;
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const client: StreamClient = { events: [], comments: 0, status: res.status, close: () => abort.abort(), closed: Promise.resolve() };
  if (res.status !== 200) return client;
  const parser = new SseParser();
  const decoder = new TextDecoder();
  client.closed = (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        client.comments += (text.match(/^: keep-alive$/gm) ?? []).length;
        for (const m of parser.push(text)) {
          const e = JSON.parse(m.data) as DsrEvent;
          assert.equal(m.id, String(e.id), 'the SSE id is the event id');
          assert.equal(m.event, 'message', 'default event type, so EventSource.onmessage sees it');
          client.events.push(e);
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return client;
}

describe('event routes', () => {
  let dir: string;
  let log: JsonlEventLog;
  let watched: ReturnType<typeof counting>;
  let server: Server;
  let base: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dsr-api-events-'));
    // Small segments, so paging and replays cross file rotations too.
    log = await JsonlEventLog.open(dir, { maxFileBytes: 16 * 1024 });
    watched = counting(log);
    const app = express();
    app.get('/events', eventsPage(watched));
    app.get('/events/stream', eventsStream(watched, { heartbeatMs: 100 }));
    app.get('/slow/events/stream', eventsStream(slow(log)));
    app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(error.status ?? 500).json({ error: error.message });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (n: number, service = 'web', kind = 'test.tick'): Promise<DsrEvent[]> =>
    (async () => {
      const out: DsrEvent[] = [];
      for (let i = 0; i < n; i++) out.push(await log.append({ kind, service, message: `${kind} ${i}`, data: { i } }));
      return out;
    })();

  it('pages through the log with the next cursor, every event once, and next null at the end', async () => {
    await append(180, 'web');
    await append(70, 'api');
    const seen: number[] = [];
    let since: number | null = 0;
    let pages = 0;
    while (since !== null) {
      const body = (await (await fetch(`${base}/events?since=${since}&limit=100`)).json()) as { events: DsrEvent[]; next: number | null; lastId: number };
      seen.push(...body.events.map((e) => e.id));
      assert.equal(body.lastId, 250);
      since = body.next;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('promises no empty page: next is null when the filtered matches end exactly at the limit', async () => {
    const first = (await (await fetch(`${base}/events?since=0&service=api&limit=70`)).json()) as { events: DsrEvent[]; next: number | null };
    assert.equal(first.events.length, 70);
    assert.equal(first.next, null);
    const partial = (await (await fetch(`${base}/events?since=0&service=api&limit=60`)).json()) as { events: DsrEvent[]; next: number | null };
    assert.equal(partial.next, partial.events.at(-1)!.id);
  });

  it('returns the newest events without since, with next null', async () => {
    const body = (await (await fetch(`${base}/events?limit=3`)).json()) as { events: DsrEvent[]; next: number | null };
    assert.deepEqual(body.events.map((e) => e.id), [248, 249, 250]);
    assert.equal(body.next, null);
  });

  const bad: Array<[string, string]> = [
    ['a non-numeric since', '/events?since=abc'],
    ['a negative limit', '/events?limit=-5'],
    ['a repeated service', '/events?service=a&service=b'],
    ['a stream with a non-numeric since', '/events/stream?since=x'],
  ];
  for (const [name, path] of bad) {
    it(`answers 400 JSON for ${name}`, async () => {
      const res = await fetch(base + path);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, /must be/);
    });
  }

  it('answers 400 JSON for a Last-Event-ID that is not an id', async () => {
    const res = await fetch(`${base}/events/stream`, { headers: { 'last-event-id': 'yesterday' } });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /Last-Event-ID/);
  });

  it('streams only new events when given no starting point, as text/event-stream', async () => {
    const client = await connect(`${base}/events/stream`);
    assert.equal(client.status, 200);
    await waitFor('the subscription', () => watched.subscribers() === 1);
    const [e] = await append(1);
    await waitFor('the new event', () => client.events.length === 1);
    assert.equal(client.events[0]!.id, e!.id);
    client.close();
    await client.closed;
  });

  it('replays after Last-Event-ID, then goes live, applying the service and kind filters to both', async () => {
    const start = log.lastId();
    await append(5, 'web', 'rollout.step');
    await append(5, 'api', 'rollout.step');
    await append(5, 'web', 'instance.created');
    const client = await connect(`${base}/events/stream?service=web&kind=rollout.`, { 'last-event-id': String(start) });
    await waitFor('the replay', () => client.events.length === 5);
    await append(2, 'api', 'rollout.step');
    await append(2, 'web', 'rollout.weight');
    await append(2, 'web', 'instance.healthy');
    await waitFor('the live events', () => client.events.length === 7);
    assert.ok(client.events.every((e) => e.service === 'web' && e.kind.startsWith('rollout.')));
    client.close();
    await client.closed;
  });

  it('sends a heartbeat comment on a quiet stream', async () => {
    const client = await connect(`${base}/events/stream`);
    await waitFor('two heartbeats', () => client.comments >= 2, 5_000);
    client.close();
    await client.closed;
  });

  it('ends the subscription when the client goes away', async () => {
    await waitFor('no subscriber left from earlier tests', () => watched.subscribers() === 0);
    const clients = await Promise.all([1, 2, 3].map(() => connect(`${base}/events/stream`)));
    await waitFor('three subscriptions', () => watched.subscribers() === 3);
    for (const c of clients) c.close();
    await waitFor('the subscriptions to end', () => watched.subscribers() === 0);
  });

  for (const path of ['/events/stream', '/slow/events/stream']) {
    it(`a client that disconnects and reconnects with Last-Event-ID sees every event exactly once (${path})`, async () => {
      const first = log.lastId();
      const total = 600;
      // Appends run all along, so reconnections land mid-replay, at the replay/live boundary and live.
      const appending = (async () => {
        for (let i = 0; i < total; i++) {
          await log.append({ kind: 'test.burst', service: 'web', message: `burst ${i}` });
          if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
        }
      })();
      const received: number[] = [];
      let lastId = first;
      const cuts = [1, 3, 17, 40, 2, 90, 5, 11];
      let round = 0;
      while (received.length < total) {
        const client = await connect(`${base}${path}?kind=test.burst`, { 'last-event-id': String(lastId) });
        const want = cuts[round++ % cuts.length]!;
        await waitFor('some events', () => client.events.length >= Math.min(want, total - received.length), 10_000, 2);
        client.close();
        await client.closed;
        received.push(...client.events.map((e) => e.id));
        lastId = received.at(-1) ?? lastId;
      }
      await appending;
      assert.ok(round > 5, `reconnected ${round} times`);
      assert.deepEqual(received, Array.from({ length: total }, (_, i) => first + i + 1));
    });
  }
});

// The soak's two clients of DSR: steady gateway load recording when each request started and
// ended and how, and an event follower that reconnects with Last-Event-ID (as `dsr events
// --follow` and the dashboard do) and keeps every event id it received.
import http from 'node:http';
import { SseParser } from '../../src/api/sse.js';
import { sleep } from './wait-healthy.js';

export interface Outcome {
  start: number;
  end: number;
  ok: boolean;
  /** Status, or the network error. */
  detail: string;
}

/** Steady GETs of `url` (loopback only) at `rps`, at most `maxInFlight` at once, until stop() or `maxMs`. */
export function steadyLoad(url: string, rps: number, maxMs: number, maxInFlight = 16): { outcomes: Outcome[]; stop(): Promise<Outcome[]> } {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the soak only loads 127.0.0.1, not ${target.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const outcomes: Outcome[] = [];
  let inFlight = 0;
  let stopped = false;
  const began = Date.now();
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const start = Date.now();
      const done = (ok: boolean, detail: string): void => {
        outcomes.push({ start, end: Date.now(), ok, detail });
        resolve();
      };
      const req = http.get({ host: target.hostname, port: target.port, path: target.pathname, agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === 200, String(res.statusCode)));
        res.on('error', (e) => done(false, e.message));
      });
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', (e) => done(false, (e as NodeJS.ErrnoException).code ?? e.message));
    });
  const loop = (async () => {
    let sent = 0;
    while (!stopped && Date.now() - began < maxMs) {
      const due = Math.floor(((Date.now() - began) * rps) / 1000);
      while (sent < due && inFlight < maxInFlight) {
        sent++;
        inFlight++;
        void one().then(() => inFlight--);
      }
      await sleep(5);
    }
    while (inFlight > 0) await sleep(20);
  })();
  return {
    outcomes,
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return outcomes;
    },
  };
}

/** Follows GET /events/stream from `since`, reconnecting every second while DSR is away. */
export function followEvents(base: () => string, since: number): { ids: number[]; reconnects(): number; stop(): Promise<void> } {
  const ids: number[] = [];
  let reconnects = 0;
  const abort = new AbortController();
  const loop = (async () => {
    let last = since;
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`${base()}/events/stream`, { headers: { 'last-event-id': String(last) }, signal: abort.signal });
        if (res.status === 200 && res.body) {
          const parser = new SseParser();
          const decoder = new TextDecoder();
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            for (const m of parser.push(decoder.decode(chunk, { stream: true }))) {
              const id = (JSON.parse(m.data) as { id: number }).id;
              ids.push(id);
              last = id;
            }
          }
        } else await res.body?.cancel();
      } catch {
        // DSR is down or restarting: reconnect below.
      }
      if (abort.signal.aborted) break;
      reconnects++;
      await sleep(1000);
    }
  })();
  return {
    ids,
    reconnects: () => reconnects,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

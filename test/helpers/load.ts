// A bounded load generator for tests: GETs one URL at a steady rate until stopped, never longer
// than `maxDurationMs` and never more than `maxRequests`, and records every outcome.
import http from 'node:http';

export interface Outcome {
  at: number;
  status: number | null;
  body: string;
  error: string | null;
  /** startLoad only: when the connection the request went out on was first used (a kept-alive one is older than `at`). */
  connectedAt?: number;
}

export interface RunningLoad {
  /** Outcomes so far. */
  outcomes: Outcome[];
  /** Stops sending, waits for requests in flight, returns every outcome. */
  stop(): Promise<Outcome[]>;
}

/** Starts sending `rps` GETs (or non-idempotent POSTs with a small body) per second to `url` (127.0.0.1 only). */
export function startLoad(url: string, options: { rps: number; maxDurationMs: number; maxRequests?: number; maxInFlight?: number; method?: 'GET' | 'POST' }): RunningLoad {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`load tests only target loopback, not ${target.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight ?? 32 });
  const firstUse = new WeakMap<object, number>();
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  const maxRequests = options.maxRequests ?? Math.ceil((options.rps * options.maxDurationMs) / 1000);
  let sent = 0;
  let stopped = false;

  const one = (): Promise<void> => new Promise((resolve) => {
    const at = Date.now();
    const post = options.method === 'POST';
    const payload = post ? JSON.stringify({ n: sent, at }) : '';
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, method: post ? 'POST' : 'GET', headers: post ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        outcomes.push({ at, status: res.statusCode ?? null, body: body.trim(), error: null, connectedAt });
        resolve();
      });
      res.on('error', (err) => {
        outcomes.push({ at, status: res.statusCode ?? null, body, error: err.message, connectedAt });
        resolve();
      });
    });
    let connectedAt: number | undefined;
    req.on('socket', (socket) => {
      if (!firstUse.has(socket)) firstUse.set(socket, Date.now());
      connectedAt = firstUse.get(socket);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (err) => {
      outcomes.push({ at, status: null, body: '', error: err.message, connectedAt });
      resolve();
    });
    req.end(payload);
  });

  const loop = (async () => {
    while (!stopped && sent < maxRequests && Date.now() - started < options.maxDurationMs) {
      const due = Math.min(maxRequests, Math.floor(((Date.now() - started) * options.rps) / 1000));
      while (sent < due && inFlight.size < (options.maxInFlight ?? 32)) {
        const p: Promise<void> = one().then(() => void inFlight.delete(p));
        inFlight.add(p);
        sent++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  return {
    outcomes,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
      agent.destroy();
      return outcomes;
    },
  };
}

/**
 * The README's load loop, `while sleep 0.1; do curl -s -o /dev/null URL; done`: one GET at a time
 * on a fresh connection, `sleepMs` between the end of one and the start of the next (about 8
 * requests/s with 100 ms on this machine), never longer than `maxDurationMs` nor more than
 * `maxRequests`.
 */
export function startSequentialLoad(url: string, options: { sleepMs: number; maxDurationMs: number; maxRequests: number }): RunningLoad {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`load tests only target loopback, not ${target.hostname}`);
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let stopped = false;
  const one = (): Promise<void> => new Promise((resolve) => {
    const at = Date.now();
    const req = http.get({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        outcomes.push({ at, status: res.statusCode ?? null, body: body.trim(), error: null });
        resolve();
      });
      res.on('error', (err) => {
        outcomes.push({ at, status: res.statusCode ?? null, body, error: err.message });
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (err) => {
      outcomes.push({ at, status: null, body: '', error: err.message });
      resolve();
    });
  });
  const loop = (async () => {
    while (!stopped && outcomes.length < options.maxRequests && Date.now() - started < options.maxDurationMs) {
      await new Promise((r) => setTimeout(r, options.sleepMs));
      if (!stopped) await one();
    }
  })();
  return {
    outcomes,
    async stop() {
      stopped = true;
      await loop;
      return outcomes;
    },
  };
}

/** True for an outcome a client would count as failed. */
export function failed(o: Outcome): boolean {
  return o.error !== null || o.status === null || o.status >= 500;
}

/**
 * Starts `clients` clients that each send one request, wait for its answer, and send the next,
 * until stopped, `maxDurationMs` is over or `maxRequests` were sent in all (keep-alive, as browsers
 * and most HTTP clients do).
 */
export function startClients(url: string, options: { clients: number; method: string; body?: string; maxDurationMs: number; maxRequests: number }): RunningLoad {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`load tests only target loopback, not ${target.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let sent = 0;
  let stopped = false;
  const one = (): Promise<void> => new Promise((resolve) => {
    const at = Date.now();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        outcomes.push({ at, status: res.statusCode ?? null, body: body.trim(), error: null });
        resolve();
      });
      res.on('error', (err) => {
        outcomes.push({ at, status: res.statusCode ?? null, body, error: err.message });
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (err) => {
      outcomes.push({ at, status: null, body: '', error: err.message });
      resolve();
    });
    req.end(options.body ?? '');
  });
  const client = async (): Promise<void> => {
    while (!stopped && sent < options.maxRequests && Date.now() - started < options.maxDurationMs) {
      sent++;
      await one();
    }
  };
  const all = Promise.all(Array.from({ length: options.clients }, client));
  return {
    outcomes,
    async stop() {
      stopped = true;
      await all;
      agent.destroy();
      return outcomes;
    },
  };
}

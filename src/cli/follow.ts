// `dsr events --follow`: prints the newest events, then every new one as DSR records it, from
// GET /events/stream. A dropped connection (DSR restarted, network blip, a stream silent for
// longer than three heartbeats) is retried with back-off and resumed with Last-Event-ID, so
// nothing is missed or printed twice. Stops cleanly, with exit 0, when `signal` aborts (Ctrl-C).
import type { DsrEvent } from '../events/types.js';
import { SseParser } from '../api/sse.js';
import { cannotReach, formatEventLine, getJson } from './remote.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface FollowOptions {
  service?: string;
  kind?: string;
  /** Start after this event id instead of printing the newest `limit` first. */
  since?: string;
  limit: string;
  json: boolean;
}

export interface FollowTuning {
  /** A stream silent this long is taken for dead (DSR sends a heartbeat every 15 s). */
  idleMs?: number;
  /** Delay before the n-th reconnection attempt in a row (n >= 1). */
  retryDelayMs?: (attempt: number) => number;
}

/** 500 ms, 1 s, 2 s, then every 5 s. */
function defaultRetryDelay(attempt: number): number {
  return Math.min(5_000, 500 * 2 ** (attempt - 1));
}

/** A refusal by DSR itself (a bad parameter): retrying cannot help. */
class Refused extends Error {}

/** Runs `dsr events --follow` until `signal` aborts; returns the exit code. */
export async function followCommand(base: string, opts: FollowOptions, out: Out, signal: AbortSignal, tuning: FollowTuning = {}): Promise<number> {
  const filters = new URLSearchParams();
  if (opts.service) filters.set('service', opts.service);
  if (opts.kind) filters.set('kind', opts.kind);
  let cursor: number;
  try {
    cursor = opts.since !== undefined ? parseSince(opts.since) : await printTail(base, filters, opts, out);
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
  const print = (e: DsrEvent): void => {
    if (e.id <= cursor) return;
    cursor = e.id;
    out.stdout(formatEventLine(e, opts.json));
  };
  let attempt = 0;
  let everConnected = false;
  while (!signal.aborted) {
    let connected = false;
    try {
      await streamOnce(`${base.replace(/\/$/, '')}/events/stream?${filters}`, cursor, signal, tuning.idleMs ?? 45_000, () => {
        connected = true;
        if (attempt > 0) out.stderr(`reconnected to DSR at ${base}`);
        attempt = 0;
      }, print);
      if (signal.aborted) break;
      if (attempt === 0) out.stderr(`connection to DSR at ${base} closed; reconnecting`);
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof Refused) {
        out.stderr(error.message);
        return 1;
      }
      // Never reached with --since (nothing proved DSR exists yet): one clear line, exit 1.
      if (!everConnected && !connected) {
        out.stderr(cannotReach(base, error).message);
        return 1;
      }
      if (attempt === 0) out.stderr(`connection to DSR at ${base} lost (${describe(error)}); reconnecting`);
    }
    everConnected ||= connected;
    attempt++;
    await sleep((tuning.retryDelayMs ?? defaultRetryDelay)(attempt), signal);
  }
  return 0;
}

/** Prints the newest `limit` events (as `dsr events` does) and returns the log's last id. */
async function printTail(base: string, filters: URLSearchParams, opts: FollowOptions, out: Out): Promise<number> {
  const params = new URLSearchParams(filters);
  params.set('limit', opts.limit);
  const { status, body } = await getJson<{ events: DsrEvent[]; lastId: number; error?: string }>(base, `/events?${params}`);
  if (status !== 200) throw new Error(body.error ?? `DSR answered ${status}`);
  for (const e of body.events) out.stdout(formatEventLine(e, opts.json));
  return body.lastId;
}

function parseSince(since: string): number {
  if (!/^\d{1,15}$/.test(since)) throw new Error(`--since must be an event id (a non-negative integer), got ${JSON.stringify(since)}`);
  return Number(since);
}

/**
 * One connection: sends `lastId` as Last-Event-ID, calls `onOpen` once DSR accepted the stream,
 * `onEvent` per event; resolves when DSR ends the stream, rejects on a network error or silence.
 */
export async function streamOnce(url: string, lastId: number, signal: AbortSignal, idleMs: number, onOpen: () => void, onEvent: (e: DsrEvent) => void): Promise<void> {
  const connection = new AbortController();
  const abort = (): void => connection.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const resetIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.abort(new Error(`no data for ${Math.round(idleMs / 1000)} s`)), idleMs);
  };
  try {
    resetIdle();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', 'last-event-id': String(lastId) }, signal: connection.signal });
    if (res.status !== 200 || !res.body) {
      const text = await res.text().catch(() => '');
      let message = `DSR answered ${res.status}`;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // Not JSON: keep the status.
      }
      // 5xx may pass (DSR shutting down); 4xx is about our request and will not.
      if (res.status >= 400 && res.status < 500) throw new Refused(message);
      throw new Error(message);
    }
    onOpen();
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      resetIdle();
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        onEvent(JSON.parse(message.data) as DsrEvent);
      }
    }
  } catch (error) {
    // An abort surfaces as an AbortError; report the reason we aborted with instead.
    if (connection.signal.aborted && !signal.aborted) throw connection.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', abort);
  }
}

function describe(error: unknown): string {
  return (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

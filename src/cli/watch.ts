// `dsr rollout watch SERVICE` and `dsr status --watch [SERVICE]`: a live view that redraws on every
// event of the service (from /events/stream) and every second for the countdowns. On a terminal
// it redraws in place; otherwise it prints one plain line whenever the state changes. Watching a
// service ends with exit 0 when its rollout completes (or none is in progress) and 1 when it
// aborts, so a deploy script can wait on it; watching every service runs until Ctrl-C.
import type { ServiceStatus } from '../controller/status.js';
import type { DsrEvent } from '../events/types.js';
import { streamOnce } from './follow.js';
import { getJson, renderStatus } from './remote.js';
import { outcomeOf, plainLine, renderWatch } from './watch-view.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface WatchTerminal {
  /** Whether stdout is a terminal (redraw in place) or not (plain lines). */
  tty: boolean;
  /** Writes raw text (the screen clearing), without a newline. */
  write: (s: string) => void;
}

const CLEAR = '\x1b[H\x1b[2J';
const TICK_MS = 1000;
const RETRY_MS = 1000;

/** Watches one service (exit 0/1 on the rollout's end) or all of them (until `signal`). Returns the exit code. */
export async function watchCommand(base: string, service: string | undefined, out: Out, term: WatchTerminal, signal: AbortSignal): Promise<number> {
  try {
    return service ? await watchService(base, service, out, term, signal) : await watchAll(base, out, term, signal);
  } catch (error) {
    if (signal.aborted) return 130;
    out.stderr((error as Error).message);
    return 1;
  }
}

async function watchService(base: string, service: string, out: Out, term: WatchTerminal, signal: AbortSignal): Promise<number> {
  const path = `/api/services/${encodeURIComponent(service)}`;
  const load = async (): Promise<ServiceStatus> => {
    const { status, body } = await getJson<ServiceStatus & { error?: string }>(base, path);
    if (status !== 200) throw new Error(body.error ?? `DSR answered ${status}`);
    return body;
  };
  const head = await getJson<{ events: DsrEvent[]; lastId: number }>(base, `/events?${new URLSearchParams({ service, kind: 'analysis.', limit: '5' })}`);
  const verdicts = [...head.body.events];
  let status = await load();
  let last = '';
  const draw = (): void => {
    if (term.tty) term.write(`${CLEAR}${renderWatch(status, verdicts).join('\n')}\n`);
    else {
      const line = plainLine(status);
      if (line !== last) out.stdout(`${new Date().toISOString().slice(11, 19)} ${line}`);
      last = line;
    }
  };
  draw();
  const initial = outcomeOf(null, status);
  if (initial) {
    out.stdout(initial.message);
    return initial.code;
  }
  const ended = new AbortController();
  const stop = (): void => ended.abort();
  signal.addEventListener('abort', stop, { once: true });
  let result: { code: 0 | 1; message: string } | null = null;
  let cursor = head.body.lastId;
  const ticker = setInterval(() => void load().then((s) => {
    status = s;
    draw();
  }, () => undefined), TICK_MS);
  try {
    while (!ended.signal.aborted) {
      await streamOnce(`${base.replace(/\/$/, '')}/events/stream?${new URLSearchParams({ service })}`, cursor, ended.signal, 45_000, () => undefined, (e) => {
        cursor = Math.max(cursor, e.id);
        if (e.kind.startsWith('analysis.')) verdicts.push(e);
        void load().then((s) => {
          status = s;
          draw();
          result ??= outcomeOf(e, status);
          if (result) ended.abort();
        }, () => undefined);
      }).catch((error: unknown) => {
        if (!ended.signal.aborted) out.stderr(`event stream lost (${(error as Error).message}); reconnecting`);
      });
      if (!ended.signal.aborted) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  } finally {
    clearInterval(ticker);
    signal.removeEventListener('abort', stop);
  }
  if (!result) return 130;
  const done: { code: 0 | 1; message: string } = result;
  out.stdout(done.message);
  return done.code;
}

async function watchAll(base: string, out: Out, term: WatchTerminal, signal: AbortSignal): Promise<number> {
  const lastLines = new Map<string, string>();
  const draw = async (): Promise<void> => {
    const { body } = await getJson<{ services: ServiceStatus[] }>(base, '/api/services');
    if (term.tty) {
      term.write(`${CLEAR}${body.services.length ? renderStatus(body.services, false).join('\n') : 'no services'}\n`);
      return;
    }
    for (const s of body.services) {
      const line = plainLine(s);
      if (lastLines.get(s.name) !== line) out.stdout(`${new Date().toISOString().slice(11, 19)} ${line}`);
      lastLines.set(s.name, line);
    }
  };
  await draw();
  let cursor = (await getJson<{ lastId: number }>(base, '/events?limit=0')).body.lastId;
  const ticker = setInterval(() => void draw().catch(() => undefined), term.tty ? TICK_MS : 5 * TICK_MS);
  try {
    while (!signal.aborted) {
      await streamOnce(`${base.replace(/\/$/, '')}/events/stream`, cursor, signal, 45_000, () => undefined, (e) => {
        cursor = Math.max(cursor, e.id);
        void draw().catch(() => undefined);
      }).catch(() => undefined);
      if (!signal.aborted) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  } finally {
    clearInterval(ticker);
  }
  return 0;
}

// The logs of every instance of a service, as `docker compose logs` shows a project's: what they
// wrote (last `tail` lines each, or since a time) interleaved by time, then, when following, every
// new line as it comes, including from instances that start later (a replacement after a crash, a
// scale-up, a canary). Instances are re-listed every `pollMs`; each one followed remembers the time
// of its last line, so following it again (it restarted) never repeats a line.
import type { RawLogLine } from '../runtime/runtime.js';
import type { LogReader } from '../runtime/runtime.js';

/** One line as DSR serves it. */
export interface LogLine {
  instance: string;
  version: string;
  stream: 'stdout' | 'stderr';
  /** Docker's RFC 3339 timestamp, '' when the line had none. */
  time: string;
  line: string;
}

/** An instance as the controller's status lists it. */
export interface LogInstance {
  id: string;
  name: string;
  version: string;
  state: string;
}

export interface ServiceLogOptions {
  reader: LogReader;
  /** The service's instances now (read again every pollMs while following). */
  instances: () => LogInstance[];
  version?: string;
  sinceMs?: number;
  tail: number | 'all';
  follow: boolean;
  signal: AbortSignal;
  /** Receives each line; returning false stops everything (the client cannot keep up). */
  emit: (line: LogLine) => boolean;
  now?: () => number;
  pollMs?: number;
}

/**
 * A sortable key of a Docker timestamp: the fraction padded to nanoseconds, so
 * "…05.1Z" < "…05.12Z" compares right as text. Docker writes UTC ("Z").
 */
export function timeKey(time: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : time;
}

/**
 * Merges per-instance line lists (each already in time order) into one, oldest first; lines
 * without a timestamp stay after the line before them. Example: a@1 a@3 + b@2 → a@1 b@2 a@3.
 */
export function interleave(lists: ReadonlyArray<readonly LogLine[]>): LogLine[] {
  const tagged = lists.flatMap((list) => {
    let last = '';
    return list.map((line, i) => ({ line, key: line.time ? (last = timeKey(line.time)) : last, i }));
  });
  return tagged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((t) => t.line);
}

/** Streams the logs; resolves when done (not following), or when `signal` aborts or `emit` refuses. */
export async function streamServiceLogs(o: ServiceLogOptions): Promise<void> {
  const now = o.now ?? Date.now;
  const wanted = (): LogInstance[] => o.instances().filter((i) => !o.version || i.version === o.version);
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  o.signal.addEventListener('abort', abort, { once: true });
  const send = (line: LogLine): void => {
    if (!stop.signal.aborted && !o.emit(line)) stop.abort();
  };
  try {
    const startedMs = now();
    const initial = wanted();
    const lists = await Promise.all(initial.map(async (i) => {
      const lines: LogLine[] = [];
      await o.reader.logs(i.id, { follow: false, tail: o.tail, sinceMs: o.sinceMs, signal: stop.signal }, (raw) => lines.push(toLine(i, raw))).catch(() => undefined);
      return lines;
    }));
    for (const line of interleave(lists)) send(line);
    if (!o.follow) return;

    // Per container: where the next read starts, and the key of the last line already sent.
    const seen = new Map<string, { floorMs: number; lastKey: string; following: boolean }>();
    initial.forEach((i, n) => {
      const last = lists[n]!.at(-1);
      seen.set(i.id, { floorMs: last?.time ? Date.parse(last.time) : startedMs, lastKey: last?.time ? timeKey(last.time) : '', following: false });
    });
    const followers = new Set<Promise<void>>();
    const follow = (i: LogInstance): void => {
      const mark = seen.get(i.id) ?? { floorMs: 0, lastKey: '', following: false };
      seen.set(i.id, mark);
      if (mark.following) return;
      mark.following = true;
      const run = o.reader.logs(i.id, { follow: true, tail: 'all', sinceMs: mark.floorMs, signal: stop.signal }, (raw) => {
        // Docker's `since` has one-second resolution: drop what was sent already or is older than asked.
        const key = raw.time ? timeKey(raw.time) : '';
        if (key && (key <= mark.lastKey || raw.timeMs < mark.floorMs)) return;
        if (key) mark.lastKey = key;
        send(toLine(i, raw));
      }).catch(() => undefined).finally(() => {
        mark.following = false;
        if (mark.lastKey) mark.floorMs = Date.parse(mark.lastKey);
        followers.delete(run);
      });
      followers.add(run);
    };
    while (!stop.signal.aborted) {
      for (const i of wanted()) if (i.state === 'running') follow(i);
      await sleep(o.pollMs ?? 1000, stop.signal);
    }
    await Promise.all(followers);
  } finally {
    o.signal.removeEventListener('abort', abort);
    stop.abort();
  }
}

function toLine(i: LogInstance, raw: RawLogLine): LogLine {
  return { instance: i.name, version: i.version, stream: raw.stream, time: raw.time, line: raw.text };
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

// `dsr logs SERVICE [--follow] [--version V] [--since 10m] [--tail N]`: the logs of every instance
// of a service, interleaved by time and prefixed with the instance as `docker compose logs` does,
// read from a running DSR (GET /api/services/:name/logs, JSON Lines, behind the token: DSR_TOKEN,
// else <data>/token for a DSR on this host, as the gates). With --follow it keeps printing, also
// from instances that start later, until Ctrl-C (exit 0).
import type { LogLine } from '../logs/service-logs.js';
import { cannotReach, type TokenSource } from './remote.js';
import { cliToken } from './token.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface LogsOptions {
  follow: boolean;
  version?: string;
  since?: string;
  tail?: string;
  /** Print Docker's timestamp before each line. */
  timestamps: boolean;
}

/** Formats lines as `name  | text`, the names padded to the widest seen so far. */
export class Prefixer {
  private width = 0;
  /** `web-v1-1 | hello`; with a time: `web-v1-1 | 2026-01-02T03:04:05.1Z hello`. */
  format(l: LogLine, timestamps: boolean): string {
    this.width = Math.max(this.width, l.instance.length);
    return `${l.instance.padEnd(this.width)} | ${timestamps && l.time ? `${l.time} ` : ''}${l.line}`;
  }
}

/** Runs `dsr logs`; returns the exit code. */
export async function logsCommand(base: string, auth: TokenSource, service: string, opts: LogsOptions, out: Out, signal: AbortSignal): Promise<number> {
  let token: string;
  let from: string;
  try {
    ({ token, from } = await cliToken('logs', base, auth.envToken, auth.dataDir));
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
  const params = new URLSearchParams();
  if (opts.follow) params.set('follow', '1');
  if (opts.version) params.set('version', opts.version);
  if (opts.since) params.set('since', opts.since);
  if (opts.tail) params.set('tail', opts.tail);
  let res: Response;
  try {
    res = await fetch(new URL(`/api/services/${encodeURIComponent(service)}/logs?${params}`, base), { headers: { authorization: `Bearer ${token}` }, signal });
  } catch (error) {
    if (signal.aborted) return 0;
    out.stderr(cannotReach(base, error).message);
    return 1;
  }
  if (res.status !== 200 || !res.body) {
    const text = await res.text().catch(() => '');
    let message = `DSR answered ${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // Not JSON: keep the status.
    }
    if (res.status === 401 && from !== 'DSR_TOKEN') message = `DSR refused the token read from ${from}: it was started with DSR_TOKEN, or with another data folder; set DSR_TOKEN or pass --data`;
    out.stderr(`logs ${service}: ${message}`);
    return 1;
  }
  const prefixer = new Prefixer();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of res.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf('\n')) !== -1) {
        const text = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!text) continue;
        const l = JSON.parse(text) as LogLine & { error?: string };
        if (l.error) {
          out.stderr(l.error);
          return 1;
        }
        out.stdout(prefixer.format(l, opts.timestamps));
      }
    }
  } catch (error) {
    if (signal.aborted) return 0;
    out.stderr(`the log stream from DSR at ${base} broke off: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}

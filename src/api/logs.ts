// GET /api/services/:name/logs?follow=1&version=V&since=10m&tail=N: the service's instance logs
// (src/logs/service-logs.ts) as JSON Lines, one {instance, version, stream, time, line} per line.
// Behind the bearer token (logs may hold secrets), and bounded: at most MAX_STREAMS at once, at
// most MAX_TAIL lines per instance from the past, and a client that lets more than MAX_BUFFERED
// bytes pile up is told so and cut off rather than held in memory.
import type { RequestHandler } from 'express';
import type { LogReader } from '../runtime/runtime.js';
import { streamServiceLogs, type LogInstance } from '../logs/service-logs.js';
import { ParamError, stringParam } from './event-params.js';

export const MAX_STREAMS = 16;
export const MAX_TAIL = 10_000;
export const MAX_BUFFERED = 1024 * 1024;
const DEFAULT_TAIL = 200;

export interface LogsSource {
  reader: LogReader;
  /** The service's instances, or undefined for an unknown service. */
  instances: (service: string) => LogInstance[] | undefined;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads ?follow, ?version, ?since (a duration such as 10m, or an ISO time) and ?tail (a count or "all"). */
export function logParams(query: Record<string, unknown>, nowMs: number): { follow: boolean; version?: string; sinceMs?: number; tail: number | 'all' } {
  const follow = ['1', 'true'].includes(stringParam(query, 'follow') ?? '');
  const version = stringParam(query, 'version');
  const since = stringParam(query, 'since');
  let sinceMs: number | undefined;
  if (since !== undefined) {
    const m = /^(\d{1,6})(s|m|h|d)$/.exec(since);
    sinceMs = m ? nowMs - Number(m[1]) * UNITS[m[2]!]! : Date.parse(since);
    if (!Number.isFinite(sinceMs)) throw new ParamError(`since must be a duration such as 10m or an ISO time, got ${JSON.stringify(since)}`);
  }
  const rawTail = stringParam(query, 'tail');
  let tail: number | 'all' = sinceMs === undefined ? DEFAULT_TAIL : 'all';
  if (rawTail !== undefined) {
    if (rawTail === 'all') tail = 'all';
    else if (/^\d{1,9}$/.test(rawTail)) tail = Number(rawTail);
    else throw new ParamError(`tail must be a number of lines or "all", got ${JSON.stringify(rawTail)}`);
  }
  // "all" of a long-running instance could be gigabytes: the cap applies to it too.
  if (tail === 'all' || tail > MAX_TAIL) tail = MAX_TAIL;
  return { follow, ...(version ? { version } : {}), ...(sinceMs === undefined ? {} : { sinceMs }), tail };
}

/** The route handler (mount it behind bearerAuth). */
export function logsHandler(source: LogsSource): RequestHandler<{ name: string }> {
  let open = 0;
  return async (req, res) => {
    let params: ReturnType<typeof logParams>;
    try {
      params = logParams(req.query, Date.now());
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
      return;
    }
    const name = req.params.name;
    if (source.instances(name) === undefined) {
      res.status(404).json({ error: `no service named ${JSON.stringify(name)}; GET /api/services lists them` });
      return;
    }
    if (open >= MAX_STREAMS) {
      res.status(503).set('Retry-After', '5').json({ error: `${MAX_STREAMS} log streams are open already; close one (or wait) and try again` });
      return;
    }
    open++;
    const stop = new AbortController();
    res.on('close', () => stop.abort());
    res.status(200).set({ 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    try {
      await streamServiceLogs({
        reader: source.reader,
        instances: () => source.instances(name) ?? [],
        ...params,
        signal: stop.signal,
        emit: (line) => {
          if (res.writableLength > MAX_BUFFERED) {
            res.write(JSON.stringify({ error: 'the client read too slowly: stream cut off (try --tail or --since to read less)' }) + '\n');
            return false;
          }
          res.write(JSON.stringify(line) + '\n');
          return true;
        },
      });
    } finally {
      open--;
      res.end();
    }
  };
}

// Building and parsing single events: the one place that knows an event's JSON Lines form.
import type { DsrEvent, NewEvent } from './types.js';

/** An event with its serialized line (JSON + '\n'), ready to write. */
export interface SerializedEvent {
  event: DsrEvent;
  line: string;
}

/**
 * Builds event `id` from what the caller passed. The returned event is the JSON round trip of
 * the line, so what callers and subscribers see is exactly what a later read from disk gives
 * (a Date in `data` becomes a string, undefined fields vanish, later mutation of `data` is harmless).
 */
export function serializeEvent(id: number, time: Date, e: NewEvent): SerializedEvent {
  checkNewEvent(e);
  const event: DsrEvent = {
    id,
    time: time.toISOString(),
    kind: e.kind,
    service: e.service ?? null,
    version: e.version ?? null,
    revision: e.revision ?? null,
    message: e.message,
    data: e.data ?? {},
  };
  let json: string;
  try {
    json = JSON.stringify(event);
  } catch (cause) {
    throw new TypeError(`event ${e.kind}: data is not JSON-serializable`, { cause });
  }
  return { event: JSON.parse(json) as DsrEvent, line: json + '\n' };
}

/** Parses one line of the log; null when it is not an event (blank, torn or corrupt). */
export function parseEventLine(text: string): DsrEvent | null {
  if (text.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<DsrEvent>;
  if (!Number.isSafeInteger(candidate.id) || typeof candidate.kind !== 'string') return null;
  return candidate as DsrEvent;
}

function checkNewEvent(e: NewEvent): void {
  if (typeof e.kind !== 'string' || e.kind.length === 0) {
    throw new TypeError(`event kind must be a non-empty string, got ${JSON.stringify(e.kind)}`);
  }
  if (typeof e.message !== 'string') {
    throw new TypeError(`event ${e.kind}: message must be a string`);
  }
  if (e.data !== undefined && (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))) {
    throw new TypeError(`event ${e.kind}: data must be a plain object`);
  }
}

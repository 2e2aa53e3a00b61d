// The Server-Sent Events wire format (WHATWG HTML §9.2), both halves: the server writes events
// with formatSseEvent, the CLI reads them back with SseParser. Pure: no sockets, no timers.
//
// DSR sends every event with the default event type (no `event:` line) so a browser's
// `EventSource.onmessage` receives all of them; the event's kind is inside the JSON data.

/** One dispatched message. `id` is the last event id seen so far (SSE ids persist across messages). */
export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

/**
 * One SSE message: `id: 7\ndata: {"id":7,...}\n\n`. `data` must not contain a newline (JSON from
 * JSON.stringify never does); a line break would be read as the end of the field.
 */
export function formatSseEvent(id: number, data: string): string {
  if (/[\r\n]/.test(data)) throw new TypeError('SSE data must be a single line');
  return `id: ${id}\ndata: ${data}\n\n`;
}

/** A comment line: ignored by clients, keeps proxies and idle timers from closing the stream. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** Tells the browser how long to wait before reconnecting after a drop. */
export function formatSseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

/**
 * Incremental parser of an SSE stream: push decoded text as it arrives (chunks may split lines
 * anywhere), get back the messages completed by it. Example: push('id: 1\nda') → [],
 * push('ta: x\n\n') → [{id: '1', event: 'message', data: 'x'}].
 */
export class SseParser {
  #pending = '';
  #data: string[] = [];
  #event = '';
  #lastId = '';
  #sawCr = false;

  /** The last id the stream set, '' before any; what to send as Last-Event-ID when reconnecting. */
  get lastEventId(): string {
    return this.#lastId;
  }

  /** Feeds a chunk of text; returns the messages it completed, in order. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    // A CRLF split across chunks: the LF belongs to the CR already taken as a line end.
    if (this.#sawCr && text.startsWith('\n')) text = text.slice(1);
    this.#sawCr = text.endsWith('\r');
    const lines = (this.#pending + text).split(/\r\n|\r|\n/);
    this.#pending = lines.pop()!;
    const out: SseMessage[] = [];
    for (const line of lines) {
      const message = this.#line(line);
      if (message) out.push(message);
    }
    return out;
  }

  #line(line: string): SseMessage | null {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.#lastId = value;
    return null;
  }

  #dispatch(): SseMessage | null {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return null;
    return { id: this.#lastId, event: event || 'message', data: data.join('\n') };
  }
}

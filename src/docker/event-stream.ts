// Keeps a Docker event stream open across engine restarts. The reconciler treats events only as
// triggers for a pass (the pass re-lists everything), so events lost during an outage are fine as
// long as it hears 'connected' afterwards and resyncs.
import { JsonLineSplitter } from './json-lines.js';
import { LABELS } from './labels.js';
import type { ContainerAction, RuntimeEvent } from '../runtime/runtime.js';

/** The container actions DSR subscribes to. */
export const CONTAINER_ACTIONS: readonly ContainerAction[] = ['create', 'start', 'die', 'stop', 'kill', 'oom', 'destroy'];

/** Reconnect delay after `attempt` consecutive failures: 500, 1000, 2000, … capped at maxMs (30 s). */
export function backoffDelay(attempt: number, initialMs = 500, maxMs = 30_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/** A Docker event message as a RuntimeEvent, or null for anything DSR does not act on. */
export function toRuntimeEvent(raw: unknown): RuntimeEvent | null {
  if (!raw || typeof raw !== 'object') return null;
  const msg = raw as { Type?: unknown; Action?: unknown; Actor?: { ID?: unknown; Attributes?: Record<string, unknown> } };
  if (msg.Type !== 'container' || typeof msg.Action !== 'string') return null;
  const action = msg.Action as ContainerAction;
  if (!CONTAINER_ACTIONS.includes(action)) return null;
  const attrs = msg.Actor?.Attributes ?? {};
  const service = attrs[LABELS.service];
  const version = attrs[LABELS.version];
  const id = msg.Actor?.ID;
  if (typeof id !== 'string' || typeof service !== 'string' || typeof version !== 'string') return null;
  return { type: 'container', action, containerId: id, service, version };
}

/** How watchEvents opens a stream and how long it waits between attempts. */
export interface WatchOptions {
  /** Opens a fresh event stream (already filtered to DSR's labels and owner). */
  connect: () => Promise<NodeJS.ReadableStream>;
  /** Called with every event; must not throw. */
  onEvent: (e: RuntimeEvent) => void;
  /** Turns one decoded message into an event, or null to ignore it. Default: toRuntimeEvent. */
  parse?: (raw: unknown) => RuntimeEvent | null;
  /** Turns a raw failure into the error reported with 'disconnected' (e.g. DockerUnavailableError). */
  wrapError?: (err: unknown) => Error;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Streams events until the returned function is called. Emits 'connected' on every successful
 * (re)connection, 'disconnected' once per outage, and retries with backoffDelay().
 */
export function watchEvents(options: WatchOptions): () => void {
  const wrap = options.wrapError ?? ((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  const parse = options.parse ?? toRuntimeEvent;
  let stopped = false;
  let connected: boolean | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let current: NodeJS.ReadableStream | null = null;

  const fail = (err: unknown): void => {
    current = null;
    if (stopped) return;
    if (connected !== false) {
      connected = false;
      options.onEvent({ type: 'disconnected', error: wrap(err) });
    }
    timer = setTimeout(open, backoffDelay(attempt++, options.initialDelayMs, options.maxDelayMs));
  };

  const open = async (): Promise<void> => {
    timer = null;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await options.connect();
    } catch (err) {
      fail(err);
      return;
    }
    if (stopped) {
      destroy(stream);
      return;
    }
    current = stream;
    attempt = 0;
    if (connected !== true) {
      connected = true;
      options.onEvent({ type: 'connected' });
    }
    const splitter = new JsonLineSplitter();
    let ended = false;
    const end = (err?: unknown): void => {
      if (ended) return;
      ended = true;
      fail(err ?? new Error('the Docker event stream ended'));
    };
    stream.on('data', (chunk: Buffer | string) => {
      for (const raw of splitter.push(chunk)) {
        const event = parse(raw);
        if (event && !stopped) options.onEvent(event);
      }
    });
    stream.on('error', end);
    stream.on('end', () => end());
    stream.on('close', () => end());
  };

  void open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (current) destroy(current);
  };
}

function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  destroyable.destroy?.();
}

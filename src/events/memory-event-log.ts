// An EventLog held in memory, for other modules' unit tests. Same contract as the JSONL log
// (test/contract/event-log.contract.ts), no durability.
import { EventLogError } from './errors.js';
import { serializeEvent } from './event.js';
import { Listeners } from './listeners.js';
import { scanEvents, selectEvents } from './query.js';
import type { DsrEvent, EventLog, EventQuery, NewEvent, ScanResult } from './types.js';

/** Options for MemoryEventLog; every field is optional. */
export interface MemoryEventLogOptions {
  clock?: () => Date;
  warn?: (message: string) => void;
}

/** An in-memory EventLog: unbounded, ids from 1, for tests of the modules that record events. */
export class MemoryEventLog implements EventLog {
  readonly #events: DsrEvent[] = [];
  readonly #listeners: Listeners;
  readonly #clock: () => Date;
  #bytes = 0;
  #closed = false;

  constructor(options: MemoryEventLogOptions = {}) {
    this.#clock = options.clock ?? (() => new Date());
    this.#listeners = new Listeners(options.warn ?? console.warn);
  }

  /** Appends `e` with the next id (see EventLog.append). */
  async append(e: NewEvent): Promise<DsrEvent> {
    this.#checkOpen(`append ${e.kind}`);
    const { event, line } = serializeEvent(this.lastId() + 1, this.#clock(), e);
    this.#events.push(event);
    this.#bytes += Buffer.byteLength(line);
    this.#listeners.emit(event);
    return event;
  }

  /** Returns the matching events oldest first (see EventQuery). */
  async query(q: EventQuery): Promise<DsrEvent[]> {
    this.#checkOpen('query');
    return selectEvents(this.#events, q);
  }

  /** A query examining at most `maxExamined` events (see EventLog.scan). */
  async scan(q: EventQuery, maxExamined: number): Promise<ScanResult> {
    this.#checkOpen('query');
    return scanEvents(this.#events, q, maxExamined);
  }

  /** Subscribes to appended events (see EventLog.subscribe). */
  subscribe(listener: (e: DsrEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** The last id assigned, 0 when empty. */
  lastId(): number {
    return this.#events.at(-1)?.id ?? 0;
  }

  /** Bytes the events would take as JSON Lines. */
  sizeBytes(): number {
    return this.#bytes;
  }

  /** Marks the log closed; later appends and queries reject. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }

  #checkOpen(operation: string): void {
    if (this.#closed) throw new EventLogError(`${operation}: the event log is closed`);
  }
}

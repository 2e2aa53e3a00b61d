// The event log on disk: append-only JSON Lines with size-based rotation and retention (SPEC §5).
//
//   <dir>/events.jsonl                 the active file, appended to through one open fd
//   <dir>/events-000000000001.jsonl    closed segments, named by their first event's id
//
// Appending is O(1) however long the log: one write() of one line to an O_APPEND fd, serialized
// by an in-process queue so lines never interleave. Opening reads only the end of the newest
// files (torn-line repair, last id, the in-memory ring of recent events), never the whole log.
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { EventLogError } from './errors.js';
import { serializeEvent } from './event.js';
import { scanBackward, scanForward } from './file-scan.js';
import type { LogFile } from './file-scan.js';
import { Listeners } from './listeners.js';
import { checkBudget, checkQuery, ScanCounter } from './query.js';
import { RecentEvents } from './recent-ring.js';
import { withDefaults } from './jsonl-options.js';
import type { JsonlEventLogOptions } from './jsonl-options.js';
import { ACTIVE_FILE, listSegments, segmentName } from './segments.js';
import type { Segment } from './segments.js';
import { firstIdIn, readRecent, repairTail } from './tail.js';
import type { DsrEvent, EventLog, EventQuery, NewEvent, ScanResult } from './types.js';

/** Options of JsonlEventLog.open, re-exported so callers need one import. */
export type { JsonlEventLogOptions } from './jsonl-options.js';

/** An EventLog stored as rotated JSON Lines files in one folder. Create with `JsonlEventLog.open`. */
export class JsonlEventLog implements EventLog {
  readonly #dir: string;
  readonly #activePath: string;
  readonly #opts: Required<JsonlEventLogOptions>;
  readonly #listeners: Listeners;
  readonly #ring: RecentEvents;
  readonly #segments: Segment[];
  readonly #warnedFiles = new Set<string>();
  #fh: FileHandle;
  #activeBytes: number;
  #activeFirstId: number | null;
  #lastId: number;
  #queue: Promise<unknown> = Promise.resolve();
  /** Bumped by every rotation, so a file scan that raced one can tell and run again. */
  #generation = 0;
  #closing = false;

  private constructor(dir: string, opts: Required<JsonlEventLogOptions>, fh: FileHandle, state: OpenState) {
    this.#dir = dir;
    this.#activePath = join(dir, ACTIVE_FILE);
    this.#opts = opts;
    this.#fh = fh;
    this.#listeners = new Listeners(opts.warn);
    this.#segments = state.segments;
    this.#activeBytes = state.activeBytes;
    this.#activeFirstId = state.activeFirstId;
    this.#lastId = state.lastId;
    this.#ring = state.ring;
  }

  /** Opens (creating if needed) the log in `dir`, repairing a torn last line left by a crash. */
  static async open(dir: string, options: JsonlEventLogOptions = {}): Promise<JsonlEventLog> {
    const opts = withDefaults(options);
    const activePath = join(dir, ACTIVE_FILE);
    let fh: FileHandle | undefined;
    try {
      await mkdir(dir, { recursive: true });
      // 'a+': every write goes to the end (O_APPEND), and the same fd can read and truncate.
      fh = await open(activePath, 'a+');
      const activeBytes = await repairTail(fh, activePath, opts.warn);
      const segments = await listSegments(dir);
      const newestFirst = [activePath, ...segments.map((s) => s.path).reverse()];
      const recent = await readRecent(newestFirst, opts.recentEvents);
      const lastId = Math.max(recent.events.at(-1)?.id ?? 0, (segments.at(-1)?.firstId ?? 1) - 1);
      const activeFirstId = activeBytes > 0 ? await firstIdIn(fh) : null;
      const ring = new RecentEvents(opts.recentEvents, recent.events, recent.all);
      return new JsonlEventLog(dir, opts, fh, { segments, activeBytes, activeFirstId, lastId, ring });
    } catch (cause) {
      await fh?.close();
      throw new EventLogError(`open event log in ${dir}`, { cause });
    }
  }

  /** Appends `e` (see EventLog.append); concurrent calls are written one at a time, in call order. */
  append(e: NewEvent): Promise<DsrEvent> {
    if (this.#closing) return Promise.reject(new EventLogError(`append ${e.kind}: the event log is closed`));
    const written = this.#queue.then(() => this.#write(e));
    // A failed append must not poison the ones queued behind it.
    this.#queue = written.catch(() => undefined);
    return written;
  }

  /** Returns the matching events oldest first (see EventQuery), from memory when it can. */
  async query(q: EventQuery): Promise<DsrEvent[]> {
    return (await this.scan(q, Infinity)).events;
  }

  /** A query examining at most `maxExamined` events (see EventLog.scan), from memory when it can. */
  async scan(q: EventQuery, maxExamined: number): Promise<ScanResult> {
    if (this.#closing) throw new EventLogError('query: the event log is closed');
    checkQuery(q);
    checkBudget(maxExamined);
    for (let attempt = 1; ; attempt++) {
      const generation = this.#generation;
      const counter = new ScanCounter(q, maxExamined);
      if (counter.full()) return counter.result();
      const fromRing = this.#ring.feed(q, counter);
      if (fromRing.complete) return counter.result();
      await this.#scanFiles(q, counter, fromRing.below);
      // A rotation renames the active file and retention deletes segments: a scan that overlapped
      // one may have missed events, which a paging client would then skip forever. Rotations are
      // rare (one per maxFileBytes), so one more scan settles it.
      if (generation === this.#generation || attempt >= 3) return counter.result();
    }
  }

  /** Subscribes to appended events (see EventLog.subscribe). */
  subscribe(listener: (e: DsrEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** The id of the last event written, 0 for an empty log. */
  lastId(): number {
    return this.#lastId;
  }

  /** Bytes in all retained files. */
  sizeBytes(): number {
    return this.#segments.reduce((sum, s) => sum + s.bytes, this.#activeBytes);
  }

  /** Waits for queued appends, then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return this.#queue.then(() => undefined);
    this.#closing = true;
    this.#queue = this.#queue.then(() => this.#fh.close());
    this.#listeners.clear();
    await this.#queue;
  }

  async #write(e: NewEvent): Promise<DsrEvent> {
    const { event, line } = serializeEvent(this.#lastId + 1, this.#opts.clock(), e);
    const bytes = Buffer.from(line, 'utf8');
    if (this.#activeBytes > 0 && this.#activeBytes + bytes.length > this.#opts.maxFileBytes) await this.#rotate();
    try {
      // One write call per line; the loop only matters if the kernel accepts part of it.
      for (let off = 0; off < bytes.length; ) off += (await this.#fh.write(bytes, off, bytes.length - off)).bytesWritten;
      if (this.#opts.fsync) await this.#fh.datasync();
    } catch (cause) {
      // Cut off whatever part of the line made it, or the next append would extend a torn line.
      await this.#fh.truncate(this.#activeBytes).catch(() => undefined);
      throw new EventLogError(`append ${e.kind} to ${this.#activePath}`, { cause });
    }
    this.#activeBytes += bytes.length;
    this.#activeFirstId ??= event.id;
    this.#lastId = event.id;
    this.#ring.push(event);
    this.#listeners.emit(event);
    return event;
  }

  async #rotate(): Promise<void> {
    // Non-null once the file holds an event; the fallback only keeps names unique if it does not.
    const firstId = this.#activeFirstId ?? this.#lastId;
    const target = join(this.#dir, segmentName(firstId));
    await this.#fh.close();
    try {
      await rename(this.#activePath, target);
      this.#segments.push({ path: target, firstId, bytes: this.#activeBytes });
      this.#activeBytes = 0;
      this.#activeFirstId = null;
      this.#generation++;
    } catch (cause) {
      throw new EventLogError(`rotate ${this.#activePath} to ${target}`, { cause });
    } finally {
      // Reopen whatever is at the active path: a fresh file, or the old one if the rename failed.
      this.#fh = await open(this.#activePath, 'a+');
    }
    await this.#applyRetention();
  }

  async #applyRetention(): Promise<void> {
    while (this.#segments.length > 0 && this.#segments.length + 1 > this.#opts.maxFiles) {
      const oldest = this.#segments[0]!;
      try {
        await unlink(oldest.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          // Retention is housekeeping: failing it must not fail the append that triggered it.
          this.#opts.warn(`event log: could not delete old segment ${oldest.path}: ${String(err)}`);
          break;
        }
      }
      this.#segments.shift();
      this.#generation++;
    }
    this.#ring.dropBefore(this.#segments[0]?.firstId ?? this.#activeFirstId ?? this.#lastId + 1);
  }

  async #scanFiles(q: EventQuery, counter: ScanCounter, below: number): Promise<void> {
    const files: LogFile[] = [
      ...this.#segments.map((s) => ({ path: s.path, firstId: s.firstId })),
      { path: this.#activePath, firstId: this.#activeFirstId ?? this.#lastId + 1 },
    ];
    const corrupt = (path: string, offset: number): void => this.#reportCorrupt(path, offset);
    if (q.since !== undefined) await scanForward(files, q, counter, corrupt);
    else await scanBackward(files, below, counter, corrupt);
  }

  #reportCorrupt(path: string, offset: number): void {
    if (this.#warnedFiles.has(path)) return;
    this.#warnedFiles.add(path);
    this.#opts.warn(`event log: ${path}: skipping a line that is not an event at byte ${offset} (further ones in this file not reported)`);
  }
}

interface OpenState {
  segments: Segment[];
  activeBytes: number;
  activeFirstId: number | null;
  lastId: number;
  ring: RecentEvents;
}

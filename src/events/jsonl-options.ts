// Options of the JSONL event log and their defaults.

/** Options for JsonlEventLog.open; every field is optional. */
export interface JsonlEventLogOptions {
  /** The active file is rotated before an append would make it larger than this. Default 10 MiB. */
  maxFileBytes?: number;
  /** Files kept, the active one included (disk use ≤ maxFiles × maxFileBytes); the oldest are deleted. Default 10. */
  maxFiles?: number;
  clock?: () => Date;
  warn?: (message: string) => void;
  /** Newest events kept in memory to answer recent queries without reading files. Default 4096. */
  recentEvents?: number;
  /** fsync every append: survives power loss, not only a crash of DSR, at a large cost per event. Default false. */
  fsync?: boolean;
}

/** Fills in the defaults and checks the numbers; throws a RangeError naming a bad option. */
export function withDefaults(o: JsonlEventLogOptions): Required<JsonlEventLogOptions> {
  const opts = {
    maxFileBytes: o.maxFileBytes ?? 10 * 1024 * 1024,
    maxFiles: o.maxFiles ?? 10,
    clock: o.clock ?? (() => new Date()),
    warn: o.warn ?? console.warn,
    recentEvents: o.recentEvents ?? 4096,
    fsync: o.fsync ?? false,
  };
  for (const key of ['maxFileBytes', 'maxFiles', 'recentEvents'] as const) {
    if (!Number.isSafeInteger(opts[key]) || opts[key] < 1) {
      throw new RangeError(`event log option ${key} must be a positive integer, got ${String(opts[key])}`);
    }
  }
  return opts;
}

// A Runtime that times every engine call the controller makes and passes it on unchanged: the
// profile of a DSR convergence (how many list() calls, how long creates take, how many run at
// once) comes from here, without touching the controller.
import type { ExecResult, InstanceSpec, ObservedContainer, Runtime, RuntimeEvent } from '../../src/runtime/runtime.js';

/** Timing of one kind of call; times are performance.now() readings. */
export class CallStats {
  count = 0;
  totalMs = 0;
  maxMs = 0;
  inFlight = 0;
  peakInFlight = 0;
  firstStart: number | null = null;
  lastEnd: number | null = null;
  readonly durations: number[] = [];

  /** Runs `fn`, recording its duration and the concurrency it ran at. */
  async time<T>(fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    this.firstStart ??= start;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      return await fn();
    } finally {
      this.inFlight--;
      const end = performance.now();
      const ms = end - start;
      this.count++;
      this.totalMs += ms;
      this.maxMs = Math.max(this.maxMs, ms);
      this.durations.push(ms);
      this.lastEnd = end;
    }
  }
}

/** Per-call statistics of one measured window. */
export interface RuntimeStats {
  list: CallStats;
  create: CallStats;
  remove: CallStats;
  hasImage: CallStats;
  /** performance.now() when each service's instance was created (create() returned). */
  createdAt: Map<string, number>;
}

function freshStats(): RuntimeStats {
  return { list: new CallStats(), create: new CallStats(), remove: new CallStats(), hasImage: new CallStats(), createdAt: new Map() };
}

/** Delegates to `inner`, timing list, create, remove and hasImage; `reset()` starts a new window. */
export class InstrumentedRuntime implements Runtime {
  stats: RuntimeStats = freshStats();

  constructor(private readonly inner: Runtime) {}

  /** Starts a new measurement window and returns the previous one. */
  reset(): RuntimeStats {
    const previous = this.stats;
    this.stats = freshStats();
    return previous;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  list(): Promise<ObservedContainer[]> {
    return this.stats.list.time(() => this.inner.list());
  }

  async create(spec: InstanceSpec): Promise<ObservedContainer> {
    const stats = this.stats;
    const created = await stats.create.time(() => this.inner.create(spec));
    stats.createdAt.set(spec.service, performance.now());
    return created;
  }

  stop(id: string, timeoutSec?: number): Promise<void> {
    return this.inner.stop(id, timeoutSec);
  }

  remove(id: string): Promise<void> {
    return this.stats.remove.time(() => this.inner.remove(id));
  }

  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return this.inner.exec(id, command, timeoutMs);
  }

  hasImage(image: string): Promise<boolean> {
    return this.stats.hasImage.time(() => this.inner.hasImage(image));
  }

  pullImage(image: string, onProgress: (p: { status: string; detail?: string }) => void): Promise<void> {
    return this.inner.pullImage(image, onProgress);
  }

  events(onEvent: (e: RuntimeEvent) => void): () => void {
    return this.inner.events(onEvent);
  }
}

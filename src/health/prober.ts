// The shell around the pure verdicts in thresholds.ts: one interval timer per instance, one probe
// in flight per instance at most, and a callback when an instance's health changes. The
// controller tells it which instances exist (sync) and reads the verdicts (get / snapshot).
import type { HealthProbe, HealthSpec } from '../manifest/service-spec.js';
import { probeOnce } from './probe.js';
import { tcpProbeOnce } from './tcp-probe.js';
import { execProbeOnce, type ExecFn } from './exec-probe.js';
import { initialProbeState, recordPassiveFailure, recordProbe } from './thresholds.js';
import type { InstanceHealth, ProbeResult, ProbeState } from './thresholds.js';

/** One instance to probe: the container id, where it answers (null: a worker, no port), and its service's health spec. */
export interface ProbeTarget {
  id: string;
  service: string;
  version: string;
  address: { host: string; port: number } | null;
  startedAt: number;
  spec: HealthSpec;
}

/** How the prober checks, tells time and reports. `probe` and `now` are for tests. */
export interface ProberOptions {
  probe?: typeof probeOnce;
  tcpProbe?: typeof tcpProbeOnce;
  /** Runs a command in an instance (Runtime.exec) for `exec` checks; without it they fail saying so. */
  exec?: ExecFn;
  now?: () => number;
  /** Called only when `health` changes, after the new state is stored (get() already returns it). */
  onChange: (instanceId: string, previous: InstanceHealth, next: ProbeState) => void;
}

/** Per-instance bookkeeping. The callbacks are bound once so a probe allocates nothing of ours. */
interface Entry {
  target: ProbeTarget;
  state: ProbeState;
  timer: NodeJS.Timeout | null;
  inFlight: boolean;
  /** Bumped when a result in flight stops being evidence (endpoint changed, passive failure). */
  generation: number;
  probedGeneration: number;
  stopped: boolean;
  abort: AbortController;
  tick: () => void;
  onResult: (result: ProbeResult | null) => void;
  onError: (error: unknown) => void;
}

/** Whether a probe kind connects to the instance (and so cannot run before its address is known). */
export function probeNeedsAddress(probe: HealthProbe): boolean {
  return probe.kind === 'http' || probe.kind === 'tcp';
}

/**
 * The verdict of a `running` probe (a worker without exec): healthy once it has been running for
 * startPeriod; until then each check is a failure the start period does not count.
 */
export function runningVerdict(startedAt: number, startPeriodMs: number, now: number): ProbeResult {
  if (now >= startedAt + startPeriodMs) return { ok: true };
  return { ok: false, error: `starting: counts as healthy once running for ${Math.ceil(startPeriodMs / 1000)}s (no port to check)` };
}

function sameProbe(a: HealthProbe, b: HealthProbe): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Probes every instance it is given on that instance's own interval, and keeps the verdicts. */
export class Prober {
  private readonly entries = new Map<string, Entry>();
  private readonly probe: typeof probeOnce;
  private readonly tcpProbe: typeof tcpProbeOnce;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: ProberOptions) {
    this.probe = options.probe ?? probeOnce;
    this.tcpProbe = options.tcpProbe ?? tcpProbeOnce;
    this.now = options.now ?? Date.now;
  }

  /** Makes the probed set equal `targets`: starts new ids, stops gone ones, updates the rest in place. */
  sync(targets: ProbeTarget[]): void {
    if (this.closed) return;
    const wanted = new Set<string>();
    for (const target of targets) {
      wanted.add(target.id);
      const entry = this.entries.get(target.id);
      if (entry) this.update(entry, target);
      else this.start(target);
    }
    for (const [id, entry] of this.entries) {
      if (wanted.has(id)) continue;
      this.stop(entry);
      this.entries.delete(id);
    }
  }

  /** The current verdict for one instance, or undefined if it is not being probed. */
  get(id: string): ProbeState | undefined {
    return this.entries.get(id)?.state;
  }

  /** A copy of every verdict, by instance id. */
  snapshot(): Map<string, ProbeState> {
    const out = new Map<string, ProbeState>();
    for (const [id, entry] of this.entries) out.set(id, entry.state);
    return out;
  }

  /** The gateway failed to connect: out of rotation until the probes pass again. Unknown ids are ignored. */
  markPassiveFailure(id: string, error: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    // A success already in flight may predate the failure; it must not re-admit the instance.
    entry.generation++;
    this.transition(entry, recordPassiveFailure(entry.state, error, this.now()));
  }

  /** Stops every timer and cancels probes in flight; the prober is unusable afterwards. */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) this.stop(entry);
    this.entries.clear();
  }

  private start(target: ProbeTarget): void {
    const entry: Entry = {
      target,
      state: initialProbeState(target.startedAt),
      timer: null,
      inFlight: false,
      generation: 0,
      probedGeneration: 0,
      stopped: false,
      abort: new AbortController(),
      tick: () => this.tick(entry),
      onResult: (result) => this.onResult(entry, result),
      onError: (error) => this.onResult(entry, { ok: false, error: error instanceof Error ? error.message : String(error) }),
    };
    this.entries.set(target.id, entry);
    this.arm(entry);
    entry.tick();
  }

  private update(entry: Entry, target: ProbeTarget): void {
    const before = entry.target;
    entry.target = target;
    const moved = before.address?.host !== target.address?.host || before.address?.port !== target.address?.port;
    if (moved || !sameProbe(before.spec.probe, target.spec.probe)) entry.generation++;
    if (before.spec.intervalMs !== target.spec.intervalMs && entry.timer) this.arm(entry);
  }

  /** (Re)starts the interval timer; unref'ed so probing never keeps the process alive. */
  private arm(entry: Entry): void {
    if (entry.timer) clearInterval(entry.timer);
    entry.timer = setInterval(entry.tick, Math.max(1, entry.target.spec.intervalMs));
    entry.timer.unref();
  }

  private stop(entry: Entry): void {
    entry.stopped = true;
    if (entry.timer) clearInterval(entry.timer);
    entry.timer = null;
    entry.abort.abort();
  }

  private tick(entry: Entry): void {
    // A probe slower than the interval skips ticks instead of piling up requests.
    if (entry.inFlight || entry.stopped) return;
    entry.inFlight = true;
    entry.probedGeneration = entry.generation;
    let pending: Promise<ProbeResult | null>;
    try {
      pending = this.check(entry.target, entry.abort.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(entry.onResult, entry.onError);
  }

  /** One check of the target's kind; null when it produced no evidence either way (engine unreachable). */
  private check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult | null> {
    const { address, spec } = target;
    const probe = spec.probe;
    if (probe.kind === 'running') return Promise.resolve(runningVerdict(target.startedAt, spec.startPeriodMs, this.now()));
    if (probe.kind === 'exec') {
      if (!this.options.exec) return Promise.resolve({ ok: false, error: 'exec checks need a runtime that can run commands in containers' });
      return execProbeOnce(this.options.exec, target.id, probe.command, spec.timeoutMs);
    }
    if (!address) return Promise.resolve({ ok: false, error: 'no address: the container publishes no port' });
    if (probe.kind === 'tcp') return this.tcpProbe(address, spec.timeoutMs, signal);
    return this.probe(address, probe.path, spec.timeoutMs, signal);
  }

  private onResult(entry: Entry, result: ProbeResult | null): void {
    entry.inFlight = false;
    if (result === null || entry.stopped || entry.probedGeneration !== entry.generation) return;
    this.transition(entry, recordProbe(entry.state, result, this.now(), entry.target.spec));
    // 'unhealthy' is terminal (see recordProbe): further probes could not change the verdict.
    if (entry.state.health === 'unhealthy' && entry.timer) {
      clearInterval(entry.timer);
      entry.timer = null;
    }
  }

  private transition(entry: Entry, next: ProbeState): void {
    const previous = entry.state.health;
    entry.state = next;
    if (previous === next.health) return;
    try {
      this.options.onChange(entry.target.id, previous, next);
    } catch (error) {
      // A throwing listener is a bug elsewhere; letting it escape would reject a probe promise
      // nobody awaits and crash DSR, so it is reported and probing goes on.
      console.error(`dsr: health change handler failed for ${entry.target.id}:`, error);
    }
  }
}

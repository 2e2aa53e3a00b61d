// What the controller keeps about each service in `<data>/state.json`, behind named methods: the
// last valid spec, the rollout state, the applied revision, the revision history and a rollback
// pin. The store holds them as `unknown` (src/store/state.ts); this is the one place that reads
// them back into types and decides the shape of a fresh record.
import type { ServiceSpec } from '../manifest/service-spec.js';
import { upgradeStoredSpec } from '../manifest/stored-spec.js';
import type { Store } from '../store/store.js';
import type { DsrState, ServiceState } from '../store/state.js';
import { rolloutStateFrom } from '../rollout/state.js';
import type { RolloutState } from '../rollout/types.js';
import { readHistory, readPin, type HistoryEntry, type Pin } from './history.js';

/** A record as the controller creates it before anything is known. */
function fresh(): ServiceState {
  return { appliedRevision: null, appliedAt: null, rollout: null, spec: null };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Typed reads and writes of the per-service records of DSR's state store. */
export class ServiceRecords {
  constructor(private readonly store: Store<DsrState>) {}

  private entry(name: string): ServiceState | undefined {
    return this.store.read().services[name];
  }

  /** Whether anything is stored about the service. */
  has(name: string): boolean {
    return Boolean(this.entry(name));
  }

  /** The last valid spec saved for the service, null when none. */
  lastValidSpec(name: string): ServiceSpec | null {
    // Specs saved by an older DSR lack the SPEC §8 fields: read back in today's shape.
    const spec = this.entry(name)?.spec;
    return spec ? upgradeStoredSpec(spec) : null;
  }

  /** Every service's last valid spec, in the store's order. */
  lastValidSpecs(): Map<string, ServiceSpec> {
    const specs = new Map<string, ServiceSpec>();
    for (const [name, entry] of Object.entries(this.store.read().services)) {
      if (entry.spec) specs.set(name, upgradeStoredSpec(entry.spec));
    }
    return specs;
  }

  /** Saves the specs of a load as their services' last valid specs (only those that changed). */
  async saveLastValid(specs: readonly ServiceSpec[]): Promise<void> {
    await this.store.update((state) => {
      for (const spec of specs) {
        const entry = (state.services[spec.name] ??= fresh());
        if (!same(entry.spec, spec)) entry.spec = spec;
      }
    });
  }

  /** Forgets everything about a service removed for good, so a later one of that name starts fresh. */
  async forget(name: string): Promise<void> {
    await this.store.update((state) => {
      delete state.services[name];
    });
  }

  /** The persisted rollout state of a service (a copy; empty when none or unreadable). */
  rollout(service: ServiceSpec): RolloutState {
    return rolloutStateFrom(this.entry(service.name)?.rollout, service);
  }

  /** Saves a rollout state; an unchanged one costs no store update (most passes change nothing). */
  async saveRollout(name: string, rollout: RolloutState): Promise<void> {
    if (same(this.entry(name)?.rollout ?? null, rollout)) return;
    await this.store.update((state) => {
      // A rollout may start before any spec was saved for the service: no `spec` key then.
      const entry = (state.services[name] ??= { appliedRevision: null, appliedAt: null, rollout: null });
      entry.rollout = rollout;
    });
  }

  /** The revision last applied to the service, null before the first. */
  appliedRevision(name: string): string | null {
    return this.entry(name)?.appliedRevision ?? null;
  }

  /** The revisions applied to the service, oldest first. */
  history(name: string): HistoryEntry[] {
    return readHistory(this.entry(name)?.history);
  }

  /** Records that `revision` is applied, with the history that results. */
  async saveApplied(name: string, revision: string | null, at: string, history: HistoryEntry[]): Promise<void> {
    await this.store.update((state) => {
      const entry = (state.services[name] ??= fresh());
      entry.appliedRevision = revision;
      entry.appliedAt = at;
      entry.history = history;
    });
  }

  /** The service's rollback pin, null when it is not pinned. */
  pin(name: string): Pin | null {
    return readPin(this.entry(name)?.pin);
  }

  /** Every pinned service with its pin, in the store's order. */
  pins(): Array<[string, Pin]> {
    return Object.entries(this.store.read().services).flatMap(([name, entry]) => {
      const pin = readPin(entry.pin);
      return pin ? [[name, pin] as [string, Pin]] : [];
    });
  }

  /** Pins the service (an operator's rollback). */
  async savePin(name: string, pin: Pin): Promise<void> {
    await this.store.update((state) => {
      (state.services[name] ??= fresh()).pin = pin;
    });
  }

  /** Ends the service's pin. */
  async dropPin(name: string): Promise<void> {
    await this.store.update((state) => {
      if (state.services[name]) delete state.services[name]!.pin;
    });
  }
}

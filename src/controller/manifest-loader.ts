// One load of the manifests: read the source, validate (pure), merge with the last valid specs
// (pure, merge-load.ts), hold pinned services at their pin, save the last valid specs, then
// announce the load. The loop shell calls it on start, on every source change and on resync.
import type { Source } from '../source/source.js';
import { loadManifests } from '../manifest/load.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import { formatManifestError } from '../manifest/service-spec.js';
import { mergeLoad, type DesiredState } from './merge-load.js';
import { fastTrack, pinEndedBy } from './history.js';
import type { LiveState } from './live-state.js';
import type { Recorder } from './recorder.js';
import type { ServiceRecords } from './service-records.js';

export interface LoaderDeps {
  source: Source;
  /** Folders under which manifests may mount host paths (DSR_HOST_PATHS). */
  hostPathRoots: readonly string[];
  live: LiveState;
  records: ServiceRecords;
  recorder: Recorder;
  /** Queues a pass of every known service. */
  enqueueAll: () => void;
}

/** Loads the manifests into the live desired state. */
export class ManifestLoader {
  constructor(private readonly deps: LoaderDeps) {}

  /** Loads once and queues every service; throws when the source cannot be read (nothing changes then). */
  async load(): Promise<void> {
    const { source, live, records } = this.deps;
    // A resync of an unchanged commit needs no re-read: the desired state is already that commit's.
    if (live.loadedOnce && live.desired.revision !== null && (await source.headRevision()) === live.desired.revision) {
      this.deps.enqueueAll();
      return;
    }
    const snapshot = await source.read();
    if (snapshot.unavailable) {
      await this.deps.recorder.reportOnce(`source:${snapshot.unavailable}`, { kind: 'manifest.unavailable', message: snapshot.unavailable });
      this.deps.enqueueAll();
      return;
    }
    const previous = live.desired;
    const load = loadManifests(snapshot.files, { hostPathRoots: this.deps.hostPathRoots });
    const next = mergeLoad(load, snapshot.revision, this.lastValidSpecs());
    live.desired = next;
    await this.applyPins(next, new Map(load.services.map((spec) => [spec.name, spec])));
    try {
      // The last valid specs are saved before the load is announced (an event never describes
      // unsaved state), and whenever they differ from what is stored, not only on a new revision.
      await records.saveLastValid(load.services);
      if (previous.revision !== next.revision || !live.loadedOnce) await this.recordLoad(next, load.services.length, load.fileCount);
    } finally {
      live.loadedOnce = true;
      this.deps.enqueueAll();
    }
  }

  /** The last valid spec of every service: this process's first, then those saved before a restart. */
  private lastValidSpecs(): Map<string, ServiceSpec> {
    const specs = new Map<string, ServiceSpec>(this.deps.live.desired.services);
    for (const [name, spec] of this.deps.records.lastValidSpecs()) {
      if (!specs.has(name)) specs.set(name, spec);
    }
    return specs;
  }

  private async recordLoad(state: DesiredState, valid: number, files: number): Promise<void> {
    const { recorder } = this.deps;
    const invalidFiles = new Set(state.errors.map((e) => e.file));
    await recorder.record({
      kind: 'manifest.loaded',
      revision: state.revision,
      message: `loaded ${files} manifest file(s) at ${state.revision ?? 'no revision'}: ${valid} valid service(s), ${state.errors.length} error(s)`,
      data: { files, services: [...state.services.keys()], invalidFiles: [...invalidFiles] },
    });
    for (const file of invalidFiles) {
      const errors = state.errors.filter((e) => e.file === file);
      const services = [...state.invalid].filter(([, v]) => v.file === file).map(([name]) => name);
      await recorder.record({
        kind: 'manifest.invalid',
        service: services.length === 1 ? services[0]! : null,
        revision: state.revision,
        message: `${file} is invalid; ${services.length ? `${services.join(', ')} kept at the last valid state` : 'nothing applied from it'}: ${errors.map(formatManifestError).join('; ')}`,
        data: { file, services, errors },
      });
    }
  }

  /**
   * Holds pinned services at their pinned manifest (on the fast track), and ends a pin whose
   * service's manifest a commit changed: the newer commit wins over an old rollback.
   */
  private async applyPins(next: DesiredState, loaded: ReadonlyMap<string, ServiceSpec>): Promise<void> {
    for (const [name, pin] of this.deps.records.pins()) {
      // Only a valid manifest in this load can end a pin; a broken file keeps it.
      if (pinEndedBy(pin, loaded.get(name))) {
        await this.deps.records.dropPin(name);
        await this.deps.recorder.record({ kind: 'rollback.unpinned', service: name, revision: next.revision, message: `${name} unpinned: ${next.revision ?? 'a new load'} changes its manifest; rolling out that instead of ${pin.revision ?? 'the pinned revision'}`, data: { pinned: pin.revision, reason: 'manifest changed' } });
        continue;
      }
      if (next.services.has(name)) next.services.set(name, fastTrack(pin.spec));
    }
  }
}

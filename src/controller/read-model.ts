// What the API, the CLI and the dashboard read about services: statuses, revision history, the
// engine's reachability, the last load. Read-only over the controller's live state and records;
// the summaries themselves are pure (status.ts). HTTP status codes are the API's business.
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { Prober } from '../health/prober.js';
import { describeBackoff } from '../health/backoff.js';
import { backoffKey } from '../plan/plan.js';
import type { DesiredState } from './merge-load.js';
import type { HistoryEntry, Pin } from './history.js';
import type { ImagePuller } from './image-puller.js';
import type { DockerStatus, LiveState } from './live-state.js';
import { persistedVersions } from './rollouts.js';
import type { ServiceRecords } from './service-records.js';
import { serviceStatus, type ServiceStatus } from './status.js';

/** The services as the outside world sees them. */
export class ReadModel {
  constructor(
    private readonly live: LiveState,
    private readonly records: ServiceRecords,
    private readonly prober: Prober,
    private readonly puller: ImagePuller,
    private readonly now: () => number,
  ) {}

  /** Docker reachability (a copy). */
  docker(): DockerStatus {
    return { ...this.live.docker };
  }

  /** The status of every service DSR knows of (declared, invalid or still running), by name. */
  statuses(): ServiceStatus[] {
    const { desired, observed } = this.live;
    const names = new Set([...desired.services.keys(), ...desired.invalid.keys(), ...observed.map((c) => c.service)]);
    return [...names].sort().map((n) => this.status(n)!);
  }

  /** The status of one service, or undefined when DSR does not know it. */
  status(name: string): ServiceStatus | undefined {
    const { desired, observed, effective } = this.live;
    const spec = desired.services.get(name) ?? null;
    const invalid = desired.invalid.get(name);
    if (!spec && !invalid && !observed.some((c) => c.service === name)) return undefined;
    const probes = this.prober.snapshot();
    const backoffs = spec?.versions.map((v) => describeBackoff(this.live.backoff.get(backoffKey(name, v.name)), this.now())).filter(Boolean) ?? [];
    const rollout = spec ? this.records.rollout(spec) : null;
    const pin = this.records.pin(name);
    const status = serviceStatus({
      name,
      spec,
      desired: spec ? (effective.get(name)?.desired ?? { name, versions: persistedVersions(spec, rollout!, observed), stopGracePeriodMs: spec.stopGracePeriodMs }) : null,
      rollout: rollout && {
        state: rollout,
        summary: effective.get(name)?.summary ?? null,
        steps: spec?.rollout.steps.length ?? 0,
      },
      revision: desired.revision,
      appliedRevision: this.records.appliedRevision(name),
      containers: observed,
      health: (id) => {
        const p = probes.get(id);
        return p ? { health: p.health, lastError: p.lastError } : undefined;
      },
      invalid,
      // A pull failure says it best (one line per image, with the registry's words).
      issue: this.puller.failure(name) ?? this.live.issues.get(name) ?? null,
      backoff: backoffs.length ? backoffs.join('; ') : null,
      waitingFor: this.live.waitingOn.get(name) ?? null,
      dockerAvailable: this.live.docker.available,
      draining: (id) => this.live.leaving.has(id),
      blocked: this.live.blocks.list(name),
    });
    if (!pin) return status;
    const pinned = `pinned to ${pin.revision ? pin.revision.slice(0, 12) : 'an earlier revision'} (rollback)`;
    return { ...status, pinned, message: `${pinned}; ${status.message}` };
  }

  /** The revisions applied to a service, oldest first, and its pin; undefined when DSR does not know it. */
  history(name: string): { history: HistoryEntry[]; pin: Pin | null } | undefined {
    if (!this.records.has(name) && !this.live.desired.services.has(name)) return undefined;
    return { history: this.records.history(name), pin: this.records.pin(name) };
  }

  /** The valid spec DSR applies for a service, or undefined when it declares none. */
  spec(name: string): ServiceSpec | undefined {
    return this.live.desired.services.get(name);
  }

  /** The manifest errors of the last load. */
  manifestErrors(): DesiredState['errors'] {
    return this.live.desired.errors;
  }

  /** The revision of the last load. */
  revision(): string | null {
    return this.live.desired.revision;
  }
}

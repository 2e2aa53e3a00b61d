// Terminal errors, as controller-runtime's TerminalError: a failure no retry can fix (a foreign
// container holding an instance's name, a spec the engine refuses, an image that does not exist)
// stops retrying that action until a person acts. Everything else stays retryable with back-off:
// an unreachable engine or a registry outage heals by itself.
import { ContainerConflictError, DockerOperationError, ImagePullError, VolumeConflictError, statusCodeOf } from '../runtime/errors.js';
import type { Action } from '../plan/actions.js';
import type { ServiceSpec } from '../manifest/service-spec.js';

/**
 * What a person must do about `error` (first match along its cause chain), or null when a retry
 * may fix it.
 *
 *   ContainerConflictError (foreign)         → "a container named X exists and is not DSR's: remove or rename it ..."
 *   ContainerConflictError (other spec)      → "a container named X exists with another spec: remove it ..."
 *   VolumeConflictError                      → "a volume named X exists and is not DSR's: rename or remove it ..."
 *   DockerOperationError 400                 → "Docker refused the container (...): fix the manifest and commit"
 *   ImagePullError, registry answered 404    → "image X does not exist ...: build or load it, or fix the image name"
 *   DockerUnavailableError, 5xx, timeouts    → null (retried with back-off)
 */
export function terminalAdvice(error: unknown, service: string): string | null {
  const retry = `then run \`dsr retry ${service}\``;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof ContainerConflictError) {
      return e.foreign
        ? `a container named ${e.containerName} exists and is not DSR's: remove or rename it (docker rm -f ${e.containerName}), ${retry}`
        : `a container named ${e.containerName} exists with another spec: remove it (docker rm -f ${e.containerName}), ${retry}`;
    }
    if (e instanceof VolumeConflictError) {
      return `a volume named ${e.volume} exists and is not DSR's: rename or remove it (docker volume rm ${e.volume}), ${retry}`;
    }
    if (e instanceof ImagePullError) {
      return statusCodeOf(e.cause) === 404
        ? `image ${e.image} does not exist or cannot be accessed: fix the image name and commit, or build or load it (docker build -t ${e.image} ...), ${retry}`
        : null;
    }
    if (e instanceof DockerOperationError) {
      return e.statusCode === 400 ? `Docker refused the container (${e.message}): fix the manifest and commit` : null;
    }
  }
  return null;
}

/** Identifies an action across passes: the same instance of the same spec, or the same container. */
export function actionKey(action: Action): string {
  return action.type === 'create'
    ? `create ${action.service}/${action.version}#${action.instance.index}@${action.instance.specHash}`
    : `remove ${action.containerId}`;
}

/** What a change of the manifest means for blocked actions: anything but where the service is declared. */
export function specFingerprint(spec: ServiceSpec | null): string {
  if (!spec) return 'undeclared';
  const { source: _where, ...declared } = spec;
  return JSON.stringify(declared);
}

/** One blocked action: what a person must do. */
export interface Blocked {
  action: string;
  advice: string;
}

/**
 * The actions of each service that stopped on a terminal error. They stay blocked until the
 * service's manifest changes (another fingerprint) or `clear()` (`dsr retry`).
 */
export class TerminalBlocks {
  private readonly byService = new Map<string, { fingerprint: string; blocked: Map<string, string> }>();

  /** The blocked actions of `service` under `fingerprint`; a changed manifest forgets them first. */
  current(service: string, fingerprint: string): ReadonlyMap<string, string> {
    const entry = this.byService.get(service);
    if (entry && entry.fingerprint !== fingerprint) this.byService.delete(service);
    return this.byService.get(service)?.blocked ?? new Map();
  }

  /** Blocks an action; returns false when it was already blocked with that advice. */
  add(service: string, fingerprint: string, action: string, advice: string): boolean {
    this.current(service, fingerprint);
    let entry = this.byService.get(service);
    if (!entry) {
      entry = { fingerprint, blocked: new Map() };
      this.byService.set(service, entry);
    }
    if (entry.blocked.get(action) === advice) return false;
    entry.blocked.set(action, advice);
    return true;
  }

  /** Unblocks every action of `service`; returns whether any was blocked. */
  clear(service: string): boolean {
    return this.byService.delete(service);
  }

  /** The blocked actions of `service`, for status. */
  list(service: string): Blocked[] {
    return [...(this.byService.get(service)?.blocked ?? new Map<string, string>())].map(([action, advice]) => ({ action, advice }));
  }
}

// What this DSR process knows between passes and never persists: the desired state of the last
// load, the last container list, back-off and problems per service, blocked actions, what each
// service's last pass decided must run, the containers leaving and the engine's reachability.
// The loop shell, the reconciler and the read model share one LiveState; a restart rebuilds it
// from the manifests, the runtime and the state store.
import type { ObservedContainer } from '../runtime/runtime.js';
import type { BackoffState } from '../health/backoff.js';
import type { DesiredService } from '../plan/wanted.js';
import { emptyDesiredState, type DesiredState } from './merge-load.js';
import { TerminalBlocks } from './terminal.js';

/** Docker reachability as last seen. */
export interface DockerStatus {
  available: boolean;
  error: string | null;
  since: string;
}

/** The in-memory state of one controller. */
export class LiveState {
  desired: DesiredState = emptyDesiredState();
  /** False until the first load: before it, an empty desired state means "not read yet", not "nothing". */
  loadedOnce = false;
  observed: ObservedContainer[] = [];
  readonly backoff = new Map<string, BackoffState>();
  /** The last pass's problem per service (a Docker error), shown by status. */
  readonly issues = new Map<string, string>();
  /** Per service: what its creations wait for (`waiting for db: no healthy instance`), while they wait. */
  readonly waitingOn = new Map<string, string>();
  /** Actions stopped on a terminal error, per service, until its manifest changes or `dsr retry`. */
  readonly blocks = new TerminalBlocks();
  /** Per service: what the last pass decided must run (rollout weights applied) and the rollout summary. */
  readonly effective = new Map<string, { desired: DesiredService; summary: string }>();
  /**
   * Containers leaving: a pass is draining or has removed them. They get no route, whatever their
   * health, until a container list no longer shows them (a list started before the removal may).
   */
  readonly leaving = new Set<string>();
  docker: DockerStatus;

  constructor(now: number) {
    this.docker = { available: true, error: null, since: new Date(now).toISOString() };
  }
}

// The shape of DSR's small mutable state, kept in `<data>/state.json` (SPEC §5).

/** What DSR remembers about one service between passes and across restarts. */
export interface ServiceState {
  /** The revision (git commit) whose desired state was last applied; null before the first apply. */
  appliedRevision: string | null;
  appliedAt: string | null;
  /** Rollout progress, null when no rollout is running. Typed by the rollout module (later issue). */
  rollout: unknown;
  /**
   * The last valid desired spec of the service (a ServiceSpec), so that a manifest broken while
   * DSR was down still keeps its service at the last valid state after a restart.
   */
  spec?: unknown;
  /** Revisions applied to the service, oldest first (HistoryEntry[], src/controller/history.ts). */
  history?: unknown;
  /** A rollback pin (Pin), kept until `dsr unpin` or a commit that changes the service's manifest. */
  pin?: unknown;
}

/** The whole state document. `version` lets a later DSR migrate it. */
export interface DsrState {
  version: 1;
  services: Record<string, ServiceState>;
}

/** The state of a fresh install. Frozen: stores copy it. */
export const DEFAULT_STATE: DsrState = Object.freeze({ version: 1, services: Object.freeze({}) }) as DsrState;

/** The file name of the state document inside the data folder. */
export const STATE_FILE = 'state.json';

/** Whether `data` is a DsrState (version 1); used to reject a state file that parses but is not ours. */
export function isDsrState(data: unknown): data is DsrState {
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.services)) return false;
  return Object.values(data.services).every(
    (s) => isRecord(s) && isNullableString(s.appliedRevision) && isNullableString(s.appliedAt) && 'rollout' in s,
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNullableString(x: unknown): boolean {
  return x === null || typeof x === 'string';
}

// Which DSR events become alerts (SPEC §5): one alert per incident, not one per event. Pure: the
// state is a value, the clock an argument; the Alerter (alerter.ts) keeps the state and a timer.
//
// Incidents and their keys:
//   rollout.aborted:<service>/<canary>  rollout.aborted; closed by the next rollout of the service
//   service.degraded:<service>          image.pull-failed, instance.backoff, reconcile.error,
//                                       reconcile.blocked (a terminal error: a person must act);
//                                       closed by service.synced
//   instance.replaced:<service>/<ver>   instance.failed, collected for `groupMs` into one alert
//   manifest.invalid:<file>@<revision>  manifest.invalid, once per file per revision
//   docker                              docker.unavailable, and a resolved note on docker.available
// Any other incident closes after `quietMs` without a new event; the next event opens a new one.
import type { DsrEvent } from '../events/types.js';
import type { Alert } from './alert.js';
import {
  dockerAvailable, dockerUnavailable, instancesReplaced, manifestInvalid, rolloutAborted, serviceDegraded,
  type Draft, type FailedInstance,
} from './drafts.js';
import { dataString } from './render.js';

/** The timing of incidents. */
export interface AlertPolicy {
  /** Instance failures of one version within this window become one alert; also how long Docker must stay back before the resolved note. */
  groupMs: number;
  /** An incident without a new event for this long is over; the next event alerts again. */
  quietMs: number;
}

/** One minute to collect, ten quiet minutes to close (the replacement back-off forgets after 10 min too). */
export const DEFAULT_ALERT_POLICY: AlertPolicy = { groupMs: 60_000, quietMs: 600_000 };

/** Instance failures being collected into one alert, sent at `dueAt`. */
export interface FailureGroup {
  dueAt: number;
  last: DsrEvent;
  failed: FailedInstance[];
}

/** Docker went away at `downAt`; `upAt` is set once it is back (the resolved note waits `groupMs`). */
export interface DockerIncident {
  down: DsrEvent;
  downAt: number;
  upAt: number | null;
  up: DsrEvent | null;
}

/** Everything alerts.ts remembers between events. Treat as immutable. */
export interface AlertState {
  /** Open incident key → time of the last event that fed it. */
  readonly open: ReadonlyMap<string, number>;
  readonly groups: ReadonlyMap<string, FailureGroup>;
  /** Invalid file → the revision it was alerted for. */
  readonly invalidFiles: ReadonlyMap<string, string | null>;
  /** Container id → its last failed health check, to say why an instance failed. */
  readonly probeErrors: ReadonlyMap<string, string>;
  readonly docker: DockerIncident | null;
}

/** The state after an event or a tick, and the alerts to send. */
export interface AlertStep {
  state: AlertState;
  alerts: Alert[];
}

/** Health-check errors remembered at most; the oldest is forgotten first. */
const PROBE_ERRORS_KEPT = 500;

const ROLLOUT_STARTS = new Set(['rollout.started', 'rollout.retried', 'rollout.replaced', 'rollout.reverted', 'rollout.completed', 'rollout.cancelled']);
const DEGRADING = new Set(['image.pull-failed', 'instance.backoff', 'reconcile.error', 'reconcile.blocked']);

/** The state before any event. */
export function initialAlertState(): AlertState {
  return { open: new Map(), groups: new Map(), invalidFiles: new Map(), probeErrors: new Map(), docker: null };
}

interface Work {
  open: Map<string, number>;
  groups: Map<string, FailureGroup>;
  invalidFiles: Map<string, string | null>;
  probeErrors: Map<string, string>;
  docker: DockerIncident | null;
  alerts: Alert[];
  now: number;
  policy: AlertPolicy;
}

function begin(s: AlertState, now: number, policy: AlertPolicy): Work {
  const open = new Map([...s.open].filter(([, last]) => now - last < policy.quietMs));
  return { open, groups: new Map(s.groups), invalidFiles: new Map(s.invalidFiles), probeErrors: new Map(s.probeErrors), docker: s.docker, alerts: [], now, policy };
}

function end(w: Work): AlertStep {
  const { open, groups, invalidFiles, probeErrors, docker } = w;
  return { state: { open, groups, invalidFiles, probeErrors, docker }, alerts: w.alerts };
}

function raise(w: Work, key: string, d: Draft): void {
  w.alerts.push({ ...d, key, time: new Date(w.now).toISOString() });
}

/** Feeds incident `key`; true when this starts a new incident (none open, or it went quiet). */
function feed(w: Work, key: string): boolean {
  const isNew = !w.open.has(key);
  w.open.set(key, w.now);
  return isNew;
}

/**
 * Applies one event at time `now`. Events of other kinds return the state unchanged.
 *
 * Example: ten instance.failed for web/v1 between t=0 and t=50 s raise nothing here; tick at
 * t=60 s raises one "web/v1: 10 instances replaced in 1 min"; an eleventh failure at t=70 s is the
 * same incident and raises nothing.
 */
export function onEvent(state: AlertState, e: DsrEvent, now: number, policy: AlertPolicy = DEFAULT_ALERT_POLICY): AlertStep {
  const relevant = e.kind === 'rollout.aborted' || ROLLOUT_STARTS.has(e.kind) || DEGRADING.has(e.kind) || e.kind.startsWith('instance.')
    || e.kind.startsWith('manifest.') || e.kind.startsWith('docker.') || e.kind === 'service.synced';
  if (!relevant) return { state, alerts: [] };
  const w = begin(state, now, policy);
  const service = e.service ?? '';
  const containerId = dataString(e.data, 'containerId');
  switch (e.kind) {
    case 'rollout.aborted': {
      const key = `rollout.aborted:${service}/${e.version ?? ''}`;
      if (feed(w, key)) raise(w, key, rolloutAborted(e));
      break;
    }
    case 'service.synced':
      w.open.delete(`service.degraded:${service}`);
      break;
    case 'instance.unhealthy': {
      const error = dataString(e.data, 'error');
      if (containerId && error) {
        w.probeErrors.delete(containerId);
        w.probeErrors.set(containerId, error);
        if (w.probeErrors.size > PROBE_ERRORS_KEPT) w.probeErrors.delete(w.probeErrors.keys().next().value!);
      }
      break;
    }
    case 'instance.healthy':
      if (containerId) w.probeErrors.delete(containerId);
      break;
    case 'instance.failed':
      instanceFailed(w, e, containerId);
      break;
    case 'manifest.loaded': {
      const still = new Set(Array.isArray(e.data.invalidFiles) ? e.data.invalidFiles : []);
      for (const file of [...w.invalidFiles.keys()]) if (!still.has(file)) w.invalidFiles.delete(file);
      break;
    }
    case 'manifest.invalid': {
      const file = dataString(e.data, 'file') ?? '';
      if (w.invalidFiles.has(file) && w.invalidFiles.get(file) === e.revision) break;
      w.invalidFiles.set(file, e.revision);
      raise(w, `manifest.invalid:${file}@${e.revision ?? ''}`, manifestInvalid(e));
      break;
    }
    case 'docker.unavailable':
      // Back down before the resolved note went out: the same incident goes on, silently.
      if (w.docker) w.docker = { ...w.docker, up: null, upAt: null };
      else {
        w.docker = { down: e, downAt: now, up: null, upAt: null };
        raise(w, 'docker', dockerUnavailable(e));
      }
      break;
    case 'docker.available':
      if (w.docker && !w.docker.up) w.docker = { ...w.docker, up: e, upAt: now };
      break;
    default:
      if (ROLLOUT_STARTS.has(e.kind)) {
        for (const key of [...w.open.keys()]) if (key.startsWith(`rollout.aborted:${service}/`)) w.open.delete(key);
      } else if (DEGRADING.has(e.kind)) {
        const key = `service.degraded:${service}`;
        if (feed(w, key)) raise(w, key, serviceDegraded(e));
      }
  }
  return end(w);
}

function instanceFailed(w: Work, e: DsrEvent, containerId: string | null): void {
  const key = `instance.replaced:${e.service ?? ''}/${e.version ?? ''}`;
  const probeError = containerId ? w.probeErrors.get(containerId) ?? null : null;
  if (containerId) w.probeErrors.delete(containerId);
  const failed: FailedInstance = {
    eventId: e.id,
    container: dataString(e.data, 'container') ?? containerId ?? 'an instance',
    reason: dataString(e.data, 'reason') ?? e.message,
    probeError,
  };
  const group = w.groups.get(key);
  const isNew = feed(w, key);
  if (group) w.groups.set(key, { ...group, last: e, failed: [...group.failed, failed] });
  else if (isNew) w.groups.set(key, { dueAt: w.now + w.policy.groupMs, last: e, failed: [failed] });
}

/**
 * Raises what is due at `now`: collected instance failures, Docker's resolved note; closes quiet
 * incidents. `flush` raises every collected failure group now (on shutdown).
 */
export function tick(state: AlertState, now: number, policy: AlertPolicy = DEFAULT_ALERT_POLICY, flush = false): AlertStep {
  const w = begin(state, now, policy);
  for (const [key, g] of w.groups) {
    if (g.dueAt > now && !flush) continue;
    w.groups.delete(key);
    raise(w, key, instancesReplaced(g.last, g.failed, policy.groupMs));
  }
  const d = w.docker;
  if (d?.up && d.upAt !== null && now - d.upAt >= policy.groupMs) {
    raise(w, 'docker', dockerAvailable(d.down, d.up, d.upAt - d.downAt));
    w.docker = null;
  }
  return end(w);
}

/** When `tick` next has something to raise, or null when nothing is pending. */
export function nextDueAt(state: AlertState, policy: AlertPolicy = DEFAULT_ALERT_POLICY): number | null {
  const due = [...state.groups.values()].map((g) => g.dueAt);
  if (state.docker?.upAt != null) due.push(state.docker.upAt + policy.groupMs);
  return due.length > 0 ? Math.min(...due) : null;
}

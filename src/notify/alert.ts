// What DSR tells a person when something needs them (SPEC §5 alerts). One Alert per incident;
// alerts.ts decides when an incident starts, channels (email, webhook) only deliver.

/** How urgent an alert is: `info` is only used for "resolved" notes. */
export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** The incidents DSR alerts on. `docker.available` is the resolved note of `docker.unavailable`. */
export type AlertType =
  | 'rollout.aborted'
  | 'service.degraded'
  | 'instance.replaced'
  | 'manifest.invalid'
  | 'docker.unavailable'
  | 'docker.available';

/** One message to a person: what happened, to what, why, under which commit, what to do next. */
export interface Alert {
  /** The incident, e.g. `instance.replaced:web/v1`; alerts of one incident share it. */
  key: string;
  type: AlertType;
  severity: Severity;
  /** One line, e.g. `web/v1: 3 instances replaced in 1 min`. */
  subject: string;
  /** Plain text a person can act on, several lines. */
  text: string;
  service: string | null;
  version: string | null;
  revision: string | null;
  /** ISO 8601 time the alert was raised. */
  time: string;
  /** The DSR events it summarises (GET /events?since=<id-1>&limit=1 shows each). */
  eventIds: number[];
}

// The API's settings from the environment, read once at startup so a bad value stops DSR with a
// message naming the variable instead of surfacing on the first request.
import { DEFAULT_MAX_STREAMS } from './events-stream.js';
import { hostPolicy, type HostPolicy } from './host-check.js';

/** What `dsr run` passes to createApiApp beyond the controller and logs. */
export interface ApiEnv {
  hosts: HostPolicy;
  maxStreams: number;
}

/** Reads DSR_ALLOWED_HOSTS and DSR_MAX_EVENT_STREAMS for a DSR listening on `bindHost`; throws naming a bad one. */
export function readApiEnv(env: NodeJS.ProcessEnv, bindHost: string): ApiEnv {
  const raw = env.DSR_MAX_EVENT_STREAMS?.trim();
  let maxStreams = DEFAULT_MAX_STREAMS;
  if (raw !== undefined && raw !== '') {
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new Error(`DSR_MAX_EVENT_STREAMS must be a positive integer (default ${DEFAULT_MAX_STREAMS}), got ${JSON.stringify(raw)}`);
    maxStreams = Number(raw);
  }
  return { hosts: hostPolicy(bindHost, env.DSR_ALLOWED_HOSTS), maxStreams };
}

// Removing an instance without losing a request (SPEC: every removal drains). The instance first
// leaves the gateway's routes (the controller publishes a table without it before it waits), then
// the requests it is still serving get up to the grace period to finish, then Docker sends SIGTERM
// and waits up to the grace period again before SIGKILL. This file is the arithmetic; the waiting
// is done by controller/apply.ts.

/** How often the shell looks at the in-flight count of a draining instance. */
export const DRAIN_POLL_MS = 50;

/** What to do next with a draining instance: look again at `wakeAt`, or stop it now. */
export type DrainStep =
  | { kind: 'wait'; wakeAt: number }
  | { kind: 'stop'; inFlight: number; timedOut: boolean };

/** Where one drain stands; times in ms on one clock. */
export interface DrainInput {
  /** Requests (and tunnels) the gateway is still running against the instance. */
  inFlight: number;
  /** When the instance left the routes. */
  startedAt: number;
  gracePeriodMs: number;
  now: number;
}

/**
 * Stop once nothing is in flight, or once the grace period since the instance left the routes
 * is over (whatever is left is cut by the stop). Example: grace 10 s, started at 0, 2 requests at
 * 3 s -> wait until 3.05 s; the same at 10 s -> stop, timed out with 2 in flight.
 */
export function drainStep(input: DrainInput): DrainStep {
  const deadline = input.startedAt + input.gracePeriodMs;
  if (input.inFlight <= 0) return { kind: 'stop', inFlight: 0, timedOut: false };
  if (input.now >= deadline) return { kind: 'stop', inFlight: input.inFlight, timedOut: true };
  return { kind: 'wait', wakeAt: Math.min(deadline, input.now + DRAIN_POLL_MS) };
}

/** Docker's stop timeout for a grace period: whole seconds, rounded up (1500 ms -> 2; 0 -> 0). */
export function stopTimeoutSeconds(gracePeriodMs: number): number {
  return Math.max(0, Math.ceil(gracePeriodMs / 1000));
}

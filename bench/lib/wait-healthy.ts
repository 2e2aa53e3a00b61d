// Waits for an instance to pass the same health check DSR applies (GET /health, 2xx with
// {"status":"healthy"}, a fresh connection each time), so the baselines are judged exactly as
// DSR judges its own instances.
import { probeOnce } from '../../src/health/probe.js';

/** How often the baselines re-check an instance that is not healthy yet. */
export const POLL_MS = 50;

/** Resolves once http://127.0.0.1:<port>/health is healthy; rejects with the last error after `timeoutMs`. */
export async function waitHealthy(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no check yet';
  for (;;) {
    const result = await probeOnce({ host: '127.0.0.1', port }, '/health', 1000);
    if (result.ok) return;
    last = result.error;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port}/health not healthy after ${timeoutMs} ms: ${last}`);
    await sleep(POLL_MS);
  }
}

/** Sleeps for `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Seconds elapsed since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

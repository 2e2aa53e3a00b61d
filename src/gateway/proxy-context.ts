// What the request path needs from its gateway: the pools, deadlines, timeouts, clock, the current
// route table and the ejection hook. One object, built once by createGateway.
import type { Deadlines } from './deadlines.js';
import type { LiveInstance, LiveTable, LiveVersion } from './live-routes.js';
import type { UpstreamPool } from './upstream-pool.js';

/** What exchanges and attempts need from their gateway. */
export interface ProxyContext {
  readonly prefix: string;
  readonly pool: UpstreamPool;
  readonly deadlines: Deadlines;
  readonly connectTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
  readonly maxAttempts: number;
  readonly clock: () => number;
  /** The current table: a retry re-reads it, since an ejection may have swapped it. */
  table(): LiveTable;
  eject(instance: LiveInstance, version: LiveVersion, reason: string): void;
  /** True once close() began: failures are then answered, not retried on new connections. */
  closing(): boolean;
  newRequestId(): string;
}

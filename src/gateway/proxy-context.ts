// What the request path needs from its gateway: the upstream pools, timeouts and limits, clock,
// the current route table and the ejection hook. One object, built once by createGateway.
import type { LiveInstance, LiveTable, LiveVersion } from './live-routes.js';
import type { UpstreamPools } from './upstream-pools.js';

/** What exchanges and attempts need from their gateway. */
export interface ProxyContext {
  readonly prefix: string;
  readonly pools: UpstreamPools;
  readonly connectTimeoutMs: number;
  /** Requests one instance may hold (connections plus its bounded wait queue); beyond: 503. */
  readonly maxPerInstance: number;
  /** Longest silence in a client's request body (408), or of a client not reading its response (cut). */
  readonly clientBodyIdleMs: number;
  readonly maxAttempts: number;
  readonly clock: () => number;
  /** The current table: a retry re-reads it, since an ejection may have swapped it. */
  table(): LiveTable;
  eject(instance: LiveInstance, version: LiveVersion, reason: string): void;
  /** True once close() began: failures are then answered, not retried on new connections. */
  closing(): boolean;
  newRequestId(): string;
}

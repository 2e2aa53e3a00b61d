// One undici Pool per instance address: keep-alive connections, one request at a time on each
// (pipelining 1), at most `connections` of them; requests beyond wait in undici's queue, which
// the gateway bounds itself (exchange.ts). undici's llhttp parser frames every response, and a
// connection that receives bytes outside an expected response is destroyed, never reused.
import { Pool } from 'undici';
import type { LiveInstance } from './live-routes.js';

/** How the gateway talks to instances; every field is documented with its default in settings.ts. */
export interface UpstreamSettings {
  /** Connections per instance (undici `connections`). */
  connections: number;
  connectTimeoutMs: number;
  /** From the last request byte sent to the complete response head (undici `headersTimeout`). */
  headersTimeoutMs: number;
  /** Longest silence between response body bytes (undici `bodyTimeout`). */
  bodyIdleTimeoutMs: number;
  /** Idle keep-alive connections are closed after this (undici `keepAliveTimeout`). */
  keepAliveTimeoutMs: number;
  /** Largest response head, counted across reads. */
  maxHeadBytes: number;
}

/** The pools of every instance address the route table names. */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly settings: UpstreamSettings) {}

  /** The pool of `instance`, created on first use. Throws for an address undici cannot use (say port 70000). */
  get(instance: LiveInstance): Pool {
    let pool = this.pools.get(instance.hostHeader);
    if (pool === undefined) {
      const s = this.settings;
      pool = new Pool(`http://${instance.hostHeader}`, {
        connections: s.connections,
        pipelining: 1,
        connect: { timeout: s.connectTimeoutMs },
        headersTimeout: s.headersTimeoutMs,
        bodyTimeout: s.bodyIdleTimeoutMs,
        keepAliveTimeout: s.keepAliveTimeoutMs,
        // A server's Keep-Alive: timeout hint may shorten the idle time, never lengthen it.
        keepAliveMaxTimeout: s.keepAliveTimeoutMs,
        maxHeaderSize: s.maxHeadBytes,
      });
      pool.on('connectionError', () => undefined); // reported to the request that needed it
      this.pools.set(instance.hostHeader, pool);
    }
    return pool;
  }

  /** Closes, once their running requests finish, the pools of addresses not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const [address, pool] of this.pools) {
      if (keep.has(address)) continue;
      this.pools.delete(address);
      pool.close().catch(() => undefined);
    }
  }

  /** Destroys every pool and its connections, running requests included. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}

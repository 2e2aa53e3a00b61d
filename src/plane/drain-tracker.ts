// Counts a gateway server's open responses so a stopping or replaced worker can wait for them.
// Once draining, a response not yet started carries `Connection: close`, so no client keeps a
// connection to a worker that is going away.
import type { Server, ServerResponse } from 'node:http';
import net from 'node:net';

/** How a drain ends idle keep-alive connections. */
export type DrainMode =
  /** Shutdown: idle connections are closed at once (a request racing the close may fail). */
  | 'close-idle'
  /**
   * Reload: idle connections are left to their next request (answered, then closed) or to the
   * server's keep-alive timeout, which clients know from the `Keep-Alive` header and avoid
   * racing; so a non-idempotent request never meets a connection closed under it.
   */
  | 'let-idle-expire';

export interface DrainTracker {
  /** Resolves with how many responses were still open at the deadline (0: all finished). */
  drain(timeoutMs: number, mode: DrainMode): Promise<number>;
}

/** Starts counting `server`'s responses (call before the server handles any request). */
export function trackRequests(server: Server): DrainTracker {
  const open = new Set<ServerResponse>();
  let draining = false;
  let onEmpty: (() => void) | null = null;
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  // Prepended: it must see the response before the gateway can write its head.
  server.prependListener('request', (_req, res: ServerResponse) => {
    open.add(res);
    if (draining) closeAfter(res);
    res.once('close', () => {
      open.delete(res);
      if (open.size === 0) onEmpty?.();
    });
  });
  return {
    async drain(timeoutMs, mode) {
      draining = true;
      open.forEach(closeAfter);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      if (mode === 'close-idle') {
        if (server.listening) server.close();
        // Idle keep-alive connections would otherwise hold the server open until their timeout.
        server.closeIdleConnections();
        if (open.size > 0) await Promise.race([deadline, new Promise<void>((resolve) => (onEmpty = resolve))]);
      } else {
        // net's close, not http's: since Node 19 http.Server.close() also closes idle
        // connections at once. Its callback runs when the last connection is gone.
        await Promise.race([deadline, new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()))]);
      }
      clearTimeout(timer);
      return open.size;
    },
  };
}

// The one HTTP server of DSR: the gateway sees every request first and anything outside its
// prefix falls through to `fallback` (the express API), so express never sits on the proxy path.
// It also owns what node leaves to the server's owner: upgrades, CONNECT, and unparsable input,
// which must get a 400 and never an exception.
import http from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Gateway } from './gateway.js';
import { rawError, socketError } from './respond.js';
import { DEFAULT_CLIENT_TIMEOUTS } from './settings.js';
import type { ClientTimeouts } from './settings.js';

/** Upgrade requests outside the gateway's prefix. */
export type UpgradeFallback = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Creates (but does not start) the server; call listen() on it. The body timeout is the gateway's (createGateway). */
export function createGatewayServer(gateway: Gateway, fallback: RequestListener, upgradeFallback?: UpgradeFallback, timeouts: Partial<ClientTimeouts> = {}): Server {
  const t = { ...DEFAULT_CLIENT_TIMEOUTS, ...timeouts };
  // requestTimeout 0: a 100 MB upload may legitimately take minutes; a stalled one is cut by the
  // gateway's body idle timeout, slow heads by headersTimeout (checked every
  // connectionsCheckingInterval, node's default of 30 s made far coarser than the timeout), idle
  // keep-alive connections by keepAliveTimeout.
  const server = http.createServer({
    keepAliveTimeout: t.keepAliveTimeoutMs,
    headersTimeout: t.headersTimeoutMs,
    requestTimeout: 0,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersTimeoutMs / 4))),
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!gateway.handle(req, res)) fallback(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (gateway.handleUpgrade(req, socket, head)) return;
    if (upgradeFallback) upgradeFallback(req, socket, head);
    else socketError(socket, 404, { error: 'no upgrade handler for this path' });
  });
  // A proxy must not be usable as a tunnel to arbitrary hosts.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    socketError(socket, 405, { error: 'CONNECT is not supported' });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => undefined);
    // `_httpMessage` is node's response in progress on this socket (no public accessor): once its
    // headers are out, a 400 would be spliced into the middle of it, so just close.
    const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(rawError(status, { error: status === 400 ? 'malformed request' : status === 431 ? 'request headers too large' : 'request timeout', detail: err.code ?? err.message }));
  });
  return server;
}

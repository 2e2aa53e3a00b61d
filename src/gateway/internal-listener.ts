// The internal gateway listener (SPEC §8): a second HTTP server on the same Gateway object, bound
// where DSR's instances can reach it and nothing else should (the runtime says where: `locate`,
// src/docker/gateway-address.ts for Docker). Same routes, weights, overrides and metrics as the
// public port, so canary analysis counts service-to-service calls; everything outside /gateway/
// answers 404 (no API, dashboard, token routes or metrics here). Started lazily and again after a
// failure, so an engine that is down when DSR starts only delays it: an instance is never created
// without its DSR_GATEWAY_URL.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Gateway } from './gateway.js';
import { internalGatewayUrl } from './internal-address.js';
import type { InternalAddress } from './internal-address.js';
import { socketError } from './respond.js';
import { createGatewayServer } from './server.js';
import type { ClientTimeouts } from './settings.js';

/** What the internal listener needs. */
export interface InternalGatewayOptions {
  gateway: Gateway;
  /** Where to bind and what host the URL names (DockerRuntime.internalGatewayAddress). */
  locate: () => Promise<InternalAddress>;
  /** DEFAULT_INTERNAL_PORT unless configured; 0: any free port (tests); null: off (no listener, no URL). */
  port: number | null;
  timeouts?: Partial<ClientTimeouts>;
}

/** The running (or not yet running) internal listener. */
export interface InternalGateway {
  /**
   * DSR_GATEWAY_URL, e.g. http://172.17.0.1:7701/gateway, or null when the listener is off;
   * starts the listener on the first call, and again after a failure.
   */
  url(): Promise<string | null>;
  /** Stops accepting; open requests get up to `drainMs`, then their connections are closed. */
  close(drainMs: number): Promise<void>;
}

const NOT_HERE = "404: DSR's internal listener serves only $DSR_GATEWAY_URL/<service>/... (paths under /gateway/). The API, dashboard and metrics are on DSR's main port.\n";

/** Answers every request outside /gateway/ on the internal listener. */
function notHere(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(NOT_HERE) });
  res.end(NOT_HERE);
}

/** The internal listener's server (not listening): /gateway/ through `gateway`, 404 for everything else. A gateway worker of `dsr run` listens with it on the socket the supervisor binds. */
export function createInternalServer(gateway: Gateway, timeouts?: Partial<ClientTimeouts>): Server {
  return createGatewayServer(gateway, notHere, (_req, socket) => socketError(socket, 404, { error: NOT_HERE.trim() }), timeouts);
}

/** Creates the internal listener (not yet listening: the first url() call starts it). */
export function internalGateway(options: InternalGatewayOptions): InternalGateway {
  let server: Server | null = null;
  let starting: Promise<string> | null = null;
  let closing = false;

  const start = async (port: number): Promise<string> => {
    const address = await options.locate();
    const s = createInternalServer(options.gateway, options.timeouts);
    await new Promise<void>((listening, failed) => {
      s.once('error', failed);
      s.listen(port, address.bind, () => {
        s.off('error', failed);
        listening();
      });
    }).catch((err: unknown) => {
      throw new Error(`cannot listen on ${address.bind}:${port} for the internal gateway (${err instanceof Error ? err.message : String(err)}); free that port, choose another with DSR_INTERNAL_PORT, or set DSR_INTERNAL_PORT=off to run without DSR_GATEWAY_URL`, { cause: err });
    });
    server = s;
    const bound = s.address();
    return internalGatewayUrl(address.urlHost, typeof bound === 'object' && bound ? bound.port : port);
  };

  return {
    url() {
      const port = options.port;
      if (port === null) return Promise.resolve(null);
      if (closing) return Promise.reject(new Error('the internal gateway is shutting down'));
      starting ??= start(port).catch((err: unknown) => {
        starting = null; // the next instance creation tries again
        throw err;
      });
      return starting;
    },
    async close(drainMs) {
      closing = true;
      await starting?.catch(() => undefined);
      const s = server;
      if (!s) return;
      const closed = new Promise<void>((done) => s.close(() => done()));
      s.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((done) => { timer = setTimeout(done, drainMs); })]);
      clearTimeout(timer);
      s.closeAllConnections();
    },
  };
}

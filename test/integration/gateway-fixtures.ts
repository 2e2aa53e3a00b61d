// Shared fixtures of the gateway tests: local upstream servers, a gateway on its own server,
// route tables from a compact description, and HTTP clients that report exactly what came back.
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { createGateway } from '../../src/gateway/gateway.js';
import type { Gateway, GatewayOptions } from '../../src/gateway/gateway.js';
import type { RouteService, RouteTable } from '../../src/gateway/route-table.js';
import { createGatewayServer } from '../../src/gateway/server.js';
import type { ClientTimeouts } from '../../src/gateway/settings.js';

/** A local HTTP server and what it saw. */
export interface Upstream {
  port: number;
  server: http.Server;
  /** Request targets received, in order. */
  paths: string[];
  /** TCP connections accepted. */
  connections: number;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1; the default handler answers `name` and echoes the request. */
export async function startUpstream(name: string, handler?: RequestListener): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const up: Upstream = { port: 0, server: http.createServer(), paths: [], connections: 0, close: async () => undefined };
  up.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    up.paths.push(req.url ?? '');
    if (handler) return handler(req, res);
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Upstream': name });
      res.end(body);
    });
  });
  up.server.on('connection', (s: Socket) => {
    up.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => up.server.listen(0, '127.0.0.1', resolve));
  up.port = (up.server.address() as AddressInfo).port;
  up.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    up.server.close(() => resolve());
  });
  return up;
}

/** A version in a compact table description: name, weight, instance ports. */
export type VersionSpec = [name: string, weight: number, ports: number[]];

/** Builds a route table; instance ids are `<service>-<version>-<index>`. */
export function routes(services: Record<string, { sticky?: boolean; upstreamKeepAlive?: boolean; versions: VersionSpec[] }>): RouteTable {
  const map = new Map<string, RouteService>();
  for (const [name, s] of Object.entries(services)) {
    map.set(name, {
      name,
      sticky: s.sticky ?? false,
      ...(s.upstreamKeepAlive === undefined ? {} : { upstreamKeepAlive: s.upstreamKeepAlive }),
      versions: s.versions.map(([version, weight, ports]) => ({
        name: version,
        weight,
        instances: ports.map((port, i) => ({ id: `${name}-${version}-${i}`, address: { host: '127.0.0.1', port } })),
      })),
    });
  }
  return { services: map };
}

/** A gateway served on its own HTTP server, with what it ejected. */
export interface TestGateway {
  gateway: Gateway;
  port: number;
  ejected: Array<{ id: string; service: string; version: string; reason: string }>;
  close(): Promise<void>;
}

/** Starts a gateway on 127.0.0.1 with createGatewayServer; requests outside the prefix get 418 "fallback". */
export async function startGateway(options: GatewayOptions = {}, client: Partial<ClientTimeouts> = {}): Promise<TestGateway> {
  const ejected: TestGateway['ejected'] = [];
  const gateway = createGateway({ ...options, onEject: (id, service, version, reason) => ejected.push({ id, service, version, reason }) });
  const server = createGatewayServer(gateway, (_req, res) => {
    res.writeHead(418, { 'Content-Type': 'text/plain' });
    res.end('fallback');
  }, undefined, client);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    gateway,
    port: (server.address() as AddressInfo).port,
    ejected,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}

/** A finished response. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

/** Options of send(). */
export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  agent?: http.Agent | false;
}

/** Sends one request to 127.0.0.1:port and collects the response (rejects on a transport error). */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.end(options.body);
  });
}

/** Writes raw bytes to 127.0.0.1:port and resolves with everything received until the peer closes (or 3 s). */
export function sendRaw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

/** The upstream name that answered a default-handler response. */
export function servedBy(reply: Reply): string {
  return (JSON.parse(reply.body) as { name: string }).name;
}

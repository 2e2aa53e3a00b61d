// Upgrade requests (WebSocket): the handshake is forwarded like any request, retried elsewhere on
// connection failures (a handshake carries no body, so nothing was delivered), and on 101 the two
// sockets are spliced together. A non-101 answer is relayed as a plain response and the
// connection closed. An open tunnel counts as in flight until either side closes it.
import http from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { choose } from './balancer.js';
import type { Choice } from './balancer.js';
import type { ProxyContext } from './proxy-context.js';
import { describeError, judgeFailure } from './failure.js';
import { upstreamRequestHead, withoutHopByHop } from './headers.js';
import type { UpstreamRequestHead } from './headers.js';
import type { LiveService } from './live-routes.js';
import { resolveOverride } from './overrides.js';
import { socketError } from './respond.js';

/** What upgrade proxying needs beyond an exchange's context. */
export interface UpgradeContext extends ProxyContext {
  /** Node's client does the handshakes: upgrades are rare, and it hands over the socket on 101. */
  readonly agent: http.Agent;
  /** Called with every spliced socket pair, so close() can end open tunnels. */
  track(client: Duplex, upstream: Duplex): void;
}

/** Proxies an upgrade request on `socket` to `service`; `head` is what the client sent after its headers. */
export function proxyUpgrade(ctx: UpgradeContext, req: IncomingMessage, socket: Duplex, head: Buffer, service: LiveService, path: string): void {
  const client = req.socket as Socket & { encrypted?: boolean };
  const upHead = upstreamRequestHead(req.rawHeaders, { remoteAddress: client.remoteAddress, encrypted: client.encrypted === true, upgrade: true, newRequestId: ctx.newRequestId });
  new UpgradeExchange(ctx, req, socket, head, service, path, upHead).start();
}

class UpgradeExchange {
  private readonly tried: string[] = [];
  private clientGone = false;
  private current: ClientRequest | null = null;

  constructor(
    private readonly ctx: UpgradeContext,
    private readonly req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    private readonly service: LiveService,
    private readonly path: string,
    private readonly upHead: UpstreamRequestHead,
  ) {}

  start(): void {
    this.socket.on('error', () => undefined); // the peer's problem; 'close' follows
    this.socket.on('close', () => {
      this.clientGone = true;
      this.current?.destroy();
    });
    const override = resolveOverride(this.service, this.upHead.pinnedVersion, this.upHead.cookie, this.tried);
    const first = choose(this.service, override.pinned, this.tried);
    if (!first) {
      this.service.unrouted.response(this.ctx.clock(), 503, 0);
      socketError(this.socket, 503, { error: 'no healthy instance', service: this.service.name, requestId: this.upHead.requestId });
      return;
    }
    this.attempt(first);
  }

  private attempt(choice: Choice): void {
    const { ctx, socket, upHead } = this;
    const { instance, version } = choice;
    this.tried.push(instance.id);
    const startMs = ctx.clock();
    let connected = false;
    let answered = false;
    let timedOut: 'connect' | 'response' | null = null;
    let released = false;
    instance.state.inFlight++;
    version.counters.inFlight++;
    const release = (): void => {
      if (released) return;
      released = true;
      instance.state.inFlight--;
      version.counters.inFlight--;
    };
    const headers = ['Host', instance.hostHeader, ...upHead.pairs!];
    let up: ClientRequest;
    try {
      up = http.request({ agent: ctx.agent, host: instance.host, port: instance.port, method: this.req.method, path: this.path, headers, setHost: false });
    } catch (err) {
      // An address node cannot use (say port 0 in a bad table): fail like a refused connect.
      release();
      this.failed(choice, false, false, null, err as Error);
      return;
    }
    this.current = up;
    let timer = setTimeout(() => { timedOut = 'connect'; up.destroy(new Error('connect timeout')); }, ctx.connectTimeoutMs);
    const onConnected = (): void => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => { timedOut = 'response'; up.destroy(new Error('response timeout')); }, ctx.upstreamTimeoutMs);
    };
    up.on('socket', (s: Socket) => (s.connecting ? s.once('connect', onConnected) : onConnected()));
    up.on('upgrade', (upRes: IncomingMessage, upSocket: Duplex, upBody: Buffer) => {
      answered = true;
      clearTimeout(timer);
      version.series.response(ctx.clock(), 101, ctx.clock() - startMs);
      upSocket.on('error', () => undefined);
      upSocket.on('close', () => { socket.destroy(); release(); });
      if (this.clientGone) {
        upSocket.destroy();
        return;
      }
      socket.on('close', () => upSocket.destroy());
      socket.write(`${statusLine(upRes)}${headerLines(upRes.rawHeaders)}\r\n`);
      if (upBody.length > 0) socket.write(upBody);
      if (this.head.length > 0) upSocket.write(this.head);
      ctx.track(socket, upSocket);
      upSocket.pipe(socket);
      socket.pipe(upSocket);
    });
    up.on('response', (upRes: IncomingMessage) => {
      answered = true;
      clearTimeout(timer);
      upRes.on('error', () => undefined);
      upRes.on('close', () => {
        version.series.response(ctx.clock(), upRes.statusCode ?? 502, ctx.clock() - startMs);
        release();
        socket.end();
      });
      // The body is relayed decoded and delimited by closing the connection.
      const headers = withoutHopByHop(upRes.rawHeaders);
      headers.push('Connection', 'close');
      socket.write(`${statusLine(upRes)}${headerLines(headers)}\r\n`);
      upRes.pipe(socket);
    });
    up.on('error', (err: Error) => {
      clearTimeout(timer);
      if (answered || released) return;
      release();
      this.failed(choice, connected, up.reusedSocket, timedOut, err);
    });
    up.end();
  }

  private failed(choice: Choice, connected: boolean, reusedSocket: boolean, timedOut: 'connect' | 'response' | null, err: Error): void {
    const { ctx, socket, upHead } = this;
    const { instance, version } = choice;
    version.series.failure(ctx.clock());
    const verdict = judgeFailure({ connected, reusedSocket, responseStarted: false, bodyStarted: false, method: this.req.method ?? 'GET', timedOut });
    const reason = `${timedOut === 'connect' ? 'connect timeout' : describeError(err)} (${instance.hostHeader})`;
    if (verdict.eject) ctx.eject(instance, version, reason);
    if (this.clientGone) return;
    const now = ctx.table().services.get(this.service.name);
    const next = verdict.retry && now && this.tried.length < ctx.maxAttempts && !ctx.closing() ? choose(now, now.byName.get(version.name) ?? null, this.tried) : null;
    if (next) this.attempt(next);
    else socketError(socket, verdict.status, { error: verdict.status === 504 ? 'upstream timed out' : 'upstream failed', service: this.service.name, requestId: upHead.requestId, detail: reason });
  }
}

function statusLine(res: IncomingMessage): string {
  return `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
}

function headerLines(raw: readonly string[]): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}

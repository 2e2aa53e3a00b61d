// Upgrade requests (WebSocket): the handshake goes through the instance's undici Pool with
// `upgrade` set, retried elsewhere on connection failures (a handshake carries no body, so
// nothing was delivered), and on 101 the two sockets are spliced together. A handshake never
// shares a connection: undici closes it after any non-101 answer and hands a 101's socket over
// for good, and a handshake with a body is refused, since nothing would read that body and it
// would be parsed upstream as the next request. A non-101 answer is relayed as a plain response
// and the client's connection closed. An open tunnel counts as in flight until either side closes.
// (removal waits for it) but not against the connection limit: its socket has left the pool.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { choose } from './balancer.js';
import type { Choice } from './balancer.js';
import type { ProxyContext } from './proxy-context.js';
import { describeError, judgeFailure } from './failure.js';
import { upstreamRequestHead } from './headers.js';
import type { UpstreamRequestHead } from './headers.js';
import type { LiveInstance, LiveService, LiveVersion } from './live-routes.js';
import { resolveOverride } from './overrides.js';
import { relayHead } from './relay-head.js';
import { socketError } from './respond.js';

/** What upgrade proxying needs beyond an exchange's context. */
export interface UpgradeContext extends ProxyContext {
  /** Called with every spliced socket pair, so close() can end open tunnels. */
  track(client: Duplex, upstream: Duplex): void;
}

/** Proxies an upgrade request on `socket` to `service`; `head` is what the client sent after its headers. */
export function proxyUpgrade(ctx: UpgradeContext, req: IncomingMessage, socket: Duplex, head: Buffer, service: LiveService, path: string): void {
  const client = req.socket as Socket & { encrypted?: boolean };
  const upHead = upstreamRequestHead(req.rawHeaders, { remoteAddress: client.remoteAddress, encrypted: client.encrypted === true, upgrade: true, newRequestId: ctx.newRequestId });
  socket.on('error', () => undefined); // the peer's problem; 'close' follows
  if (upHead.hasBody) {
    socketError(socket, 400, { error: 'an upgrade request must not carry a body', service: service.name, requestId: upHead.requestId });
    return;
  }
  new UpgradeExchange(ctx, req.method ?? 'GET', socket, head, service, path, upHead).start();
}

class UpgradeExchange {
  private readonly tried: string[] = [];
  clientGone = false;
  current: Handshake | null = null;

  constructor(
    readonly ctx: UpgradeContext,
    readonly method: string,
    readonly socket: Duplex,
    readonly head: Buffer,
    readonly service: LiveService,
    readonly path: string,
    readonly upHead: UpstreamRequestHead,
  ) {}

  start(): void {
    this.socket.on('close', () => {
      this.clientGone = true;
      this.current?.abandon();
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

  attempt(choice: Choice): void {
    this.tried.push(choice.instance.id);
    this.current = new Handshake(this, choice.version, choice.instance);
    this.current.run();
  }

  failed(version: LiveVersion, retry: boolean, status: number, reason: string): void {
    if (this.clientGone) return;
    const { ctx } = this;
    const now = ctx.table().services.get(this.service.name);
    const next = retry && now && this.tried.length < ctx.maxAttempts && !ctx.closing() ? choose(now, now.byName.get(version.name) ?? null, this.tried) : null;
    if (next) this.attempt(next);
    else socketError(this.socket, status, { error: status === 504 ? 'upstream timed out' : 'upstream failed', service: this.service.name, requestId: this.upHead.requestId, detail: reason });
  }
}

/** One handshake attempt at one instance: an undici dispatch handler. */
class Handshake implements Dispatcher.DispatchHandler {
  private abort: ((err?: Error) => void) | null = null;
  private connected = false;
  private answered = false;
  private released = false;
  private tunnel = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private resume: (() => void) | null = null;
  private status = 0;
  private readonly startMs: number;

  constructor(private readonly ex: UpgradeExchange, private readonly version: LiveVersion, private readonly instance: LiveInstance) {
    this.startMs = ex.ctx.clock();
    instance.state.inFlight++;
    version.counters.inFlight++;
  }

  run(): void {
    const { ex } = this;
    let pool: Dispatcher;
    try {
      pool = ex.ctx.pools.get(this.instance);
    } catch (err) {
      this.failed(err as Error);
      return;
    }
    pool.dispatch({ path: ex.path, method: ex.method, headers: ex.upHead.headers, upgrade: ex.upHead.upgrade ?? 'websocket' }, this);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.connected = true;
    if (this.ex.clientGone) abort();
  }

  onUpgrade(statusCode: number, rawHeaders: Buffer[] | string[] | null, upSocket: Duplex): void {
    const { ex, version } = this;
    this.answered = true;
    this.tunnel = true;
    this.instance.state.tunnels++;
    version.series.response(ex.ctx.clock(), statusCode, ex.ctx.clock() - this.startMs);
    upSocket.on('error', () => undefined);
    upSocket.on('close', () => {
      ex.socket.destroy();
      this.release();
    });
    if (ex.clientGone) {
      upSocket.destroy();
      return;
    }
    ex.socket.on('close', () => upSocket.destroy());
    // A 101's Connection and Upgrade fields belong to the switch and are kept; llhttp has checked the values.
    let head = 'HTTP/1.1 101 Switching Protocols\r\n';
    const raw = rawHeaders ?? [];
    for (let i = 0; i < raw.length; i += 2) head += `${raw[i]!.toString()}: ${raw[i + 1]!.toString()}\r\n`;
    ex.socket.write(`${head}\r\n`, 'latin1');
    if (ex.head.length > 0) upSocket.write(ex.head);
    ex.ctx.track(ex.socket, upSocket);
    upSocket.pipe(ex.socket);
    ex.socket.pipe(upSocket);
  }

  // A refusal (say 403): relayed with the connection closed after it, which delimits the body.
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200 || this.answered) return true;
    const { ex } = this;
    this.answered = true;
    this.resume = resume;
    this.status = statusCode;
    let head: string;
    try {
      const relayed = relayHead(statusText, rawHeaders);
      head = `HTTP/1.1 ${statusCode} ${relayed.statusMessage}\r\n`;
      for (let i = 0; i < relayed.headers.length; i += 2) {
        const name = relayed.headers[i]!;
        // Written raw and delimited by close: no chunked framing is added here.
        const value = name.toLowerCase() === 'transfer-encoding' ? relayed.headers[i + 1]!.replace(/,\s*chunked$/, '') : relayed.headers[i + 1]!;
        head += `${name}: ${value}\r\n`;
      }
    } catch (err) {
      // Nothing reached the client yet: a clean 502 on the raw socket.
      this.abort?.(err as Error);
      this.release();
      this.version.series.failure(ex.ctx.clock());
      socketError(ex.socket, 502, { error: 'invalid upstream response', service: ex.service.name, requestId: ex.upHead.requestId, detail: describeError(err) });
      return false;
    }
    ex.socket.write(`${head}Connection: close\r\n\r\n`, 'latin1');
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.ex.socket.write(chunk)) return true;
    // As in attempt.ts: a client that leaves the answer unread would hold the upstream connection for ever.
    this.stallTimer = setTimeout(() => {
      this.abort?.(new Error(`the client read nothing for ${this.ex.ctx.clientBodyIdleMs} ms`));
      this.release();
      this.ex.socket.destroy();
    }, this.ex.ctx.clientBodyIdleMs);
    this.ex.socket.once('drain', () => {
      clearTimeout(this.stallTimer);
      this.resume?.();
    });
    return false;
  }

  onComplete(): void {
    this.version.series.response(this.ex.ctx.clock(), this.status, this.ex.ctx.clock() - this.startMs);
    this.release();
    this.ex.socket.end();
  }

  onError(err: Error): void {
    if (this.released) return;
    if (this.answered) {
      this.release();
      this.ex.socket.destroy();
      return;
    }
    this.failed(err);
  }

  abandon(): void {
    this.abort?.(new Error('the client went away'));
  }

  failed(err: Error): void {
    const { ex, instance, version } = this;
    this.release();
    version.series.failure(ex.ctx.clock());
    const code = (err as NodeJS.ErrnoException).code;
    const timedOut = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'response' : null;
    const reused = ((err as { socket?: { bytesRead?: number } }).socket?.bytesRead ?? 0) > 0;
    const verdict = judgeFailure({ connected: this.connected, reusedSocket: reused, responseStarted: false, bodyStarted: false, method: ex.method, timedOut });
    const reason = `${timedOut === 'connect' ? `connect timeout after ${ex.ctx.connectTimeoutMs} ms` : describeError(err)} (${instance.hostHeader})`;
    if (verdict.eject) ex.ctx.eject(instance, version, reason);
    ex.failed(version, verdict.retry, verdict.status, reason);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.stallTimer);
    this.instance.state.inFlight--;
    if (this.tunnel) this.instance.state.tunnels--;
    this.version.counters.inFlight--;
  }
}

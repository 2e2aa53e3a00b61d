// One proxied HTTP request: refuse what must not be forwarded, resolve overrides, choose an
// instance with room, and run attempts (attempt.ts) one after the other until one answers or no
// retry is allowed; answer 503 when the service has no usable instance at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Attempt } from './attempt.js';
import type { AttemptOwner } from './attempt.js';
import { choose } from './balancer.js';
import type { Choice } from './balancer.js';
import { upstreamRequestHead } from './headers.js';
import type { UpstreamRequestHead } from './headers.js';
import type { LiveService, LiveVersion } from './live-routes.js';
import { resolveOverride } from './overrides.js';
import type { Override } from './overrides.js';
import type { ProxyContext } from './proxy-context.js';
import { sendError } from './respond.js';

// Methods whose body an instance may never read: forwarding one lets a client smuggle a second
// request onto a pooled connection (its body parsed upstream as the next request).
const NO_BODY: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** Proxies `req` to `service`, answering on `res`; `path` is the upstream request target. */
export function proxyRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, service: LiveService, path: string): void {
  const socket = req.socket as Socket & { encrypted?: boolean };
  const head = upstreamRequestHead(req.rawHeaders, { remoteAddress: socket.remoteAddress, encrypted: socket.encrypted === true, upgrade: false, newRequestId: ctx.newRequestId });
  const method = req.method ?? 'GET';
  if (head.hasBody && NO_BODY.has(method)) {
    res.shouldKeepAlive = false; // the unread body must not be parsed as this connection's next request
    sendError(res, 400, { error: `a ${method} request must not carry a body`, service: service.name, requestId: head.requestId });
    return;
  }
  new Exchange(ctx, req, res, service, path, head, method).start();
}

class Exchange implements AttemptOwner {
  readonly tried: string[] = [];
  override: Override | null = null;
  current: Attempt | null = null;
  clientGone = false;

  constructor(
    readonly ctx: ProxyContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly service: LiveService,
    readonly path: string,
    readonly head: UpstreamRequestHead,
    readonly method: string,
  ) {}

  start(): void {
    this.res.on('close', () => {
      if (this.res.writableFinished) return;
      this.clientGone = true;
      this.current?.abandon();
    });
    if (this.head.hasBody) this.watchBody();
    const override = resolveOverride(this.service, this.head.pinnedVersion, this.head.cookie, this.tried);
    this.override = override;
    const choice = this.roomy(choose(this.service, override.pinned, this.tried));
    if (choice === 'busy') this.busy();
    else if (choice) this.attempt(choice);
    else {
      this.service.unrouted.response(this.ctx.clock(), 503, 0);
      sendError(this.res, 503, { error: 'no healthy instance', service: this.service.name, requestId: this.head.requestId });
    }
  }

  attempt(choice: Choice): void {
    this.tried.push(choice.instance.id);
    this.current = new Attempt(this, choice.version, choice.instance);
    this.current.run();
  }

  /** After a retryable failure: the same version first, then the weighted choice; null if nothing is left. */
  retryChoice(failed: LiveVersion): Choice | null {
    if (this.tried.length >= this.ctx.maxAttempts || this.ctx.closing()) return null;
    const service = this.ctx.table().services.get(this.service.name);
    if (!service) return null;
    const choice = this.roomy(choose(service, service.byName.get(failed.name) ?? null, this.tried));
    return choice === 'busy' ? null : choice;
  }

  fail(status: number, error: string, detail: string): void {
    sendError(this.res, status, { error, service: this.service.name, requestId: this.head.requestId, detail });
  }

  /**
   * `choice`, or the next instance with room when it is full (connections and wait queue);
   * 'busy' when every usable instance is full. Full instances are skipped, not failed.
   */
  private roomy(choice: Choice | null): Choice | null | 'busy' {
    if (choice === null || pooled(choice) < this.ctx.maxPerInstance) return choice;
    const skipped = [...this.tried];
    while (choice && pooled(choice) >= this.ctx.maxPerInstance) {
      skipped.push(choice.instance.id);
      choice = choose(this.ctx.table().services.get(this.service.name) ?? this.service, this.override?.pinned ?? null, skipped);
    }
    return choice ?? 'busy';
  }

  private busy(): void {
    this.service.unrouted.response(this.ctx.clock(), 503, 0);
    sendError(this.res, 503, { error: 'every instance is at its connection limit', service: this.service.name, requestId: this.head.requestId }, ['Retry-After', '1']);
  }

  /**
   * Gives up on a client whose body stops arriving for clientBodyIdleMs: 408 (or a cut response)
   * and the connection closed, so a slow client cannot hold an upstream connection. Silence
   * while the gateway itself holds the client back (the instance reads slowly) does not count.
   */
  private watchBody(): void {
    const socket = this.req.socket;
    const onTimeout = (): void => {
      if (this.req.complete || this.clientGone) return;
      if (this.res.writableFinished) {
        // Answered before the body ended (a 503, an instance's early 413) and the rest never
        // comes: node would keep this connection waiting for it for ever.
        socket.destroy();
        return;
      }
      if (this.req.isPaused()) {
        socket.setTimeout(this.ctx.clientBodyIdleMs); // backpressure from upstream: wait again
        return;
      }
      this.current?.abandon();
      this.res.shouldKeepAlive = false;
      sendError(this.res, 408, { error: 'request body timed out', service: this.service.name, requestId: this.head.requestId, detail: `no body bytes for ${this.ctx.clientBodyIdleMs} ms` });
    };
    this.req.setTimeout(this.ctx.clientBodyIdleMs, onTimeout);
    this.req.once('end', () => {
      this.req.off('timeout', onTimeout);
      // Unless the response already finished: node then runs its keep-alive timer on this socket.
      if (!this.res.writableFinished) socket.setTimeout(0);
    });
  }
}

/** Requests an instance holds on its pool (connections and wait queue); open tunnels have left it. */
function pooled(choice: Choice): number {
  return choice.instance.state.inFlight - choice.instance.state.tunnels;
}

// One proxied HTTP request: resolve overrides, choose an instance, and run attempts (attempt.ts)
// one after the other until one answers or no retry is allowed; answer 503 when the service has
// no usable instance at all.
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

/** Proxies `req` to `service`, answering on `res`; `path` is the upstream request target. */
export function proxyRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, service: LiveService, path: string): void {
  const socket = req.socket as Socket & { encrypted?: boolean };
  const head = upstreamRequestHead(req.rawHeaders, { remoteAddress: socket.remoteAddress, encrypted: socket.encrypted === true, upgrade: false, newRequestId: ctx.newRequestId });
  new Exchange(ctx, req, res, service, path, head).start();
}

class Exchange implements AttemptOwner {
  readonly tried: string[] = [];
  readonly method: string;
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
  ) {
    this.method = req.method ?? 'GET';
  }

  start(): void {
    this.res.on('close', () => {
      if (this.res.writableFinished) return;
      this.clientGone = true;
      this.current?.abandon();
    });
    const override = resolveOverride(this.service, this.head.pinnedVersion, this.head.cookie, this.tried);
    this.override = override;
    const choice = choose(this.service, override.pinned, this.tried);
    if (!choice) {
      this.service.unrouted.response(this.ctx.clock(), 503, 0);
      sendError(this.res, 503, { error: 'no healthy instance', service: this.service.name, requestId: this.head.requestId });
      return;
    }
    this.attempt(choice);
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
    return choose(service, service.byName.get(failed.name) ?? null, this.tried);
  }

  fail(status: number, error: string, detail: string): void {
    if (this.head.hasBody && !this.req.complete) this.discardBody(null);
    sendError(this.res, status, { error, service: this.service.name, requestId: this.head.requestId, detail });
  }

  /**
   * The answer is settled before the client finished sending its body: drop the rest, so the
   * client's connection is not left stalled half-way through an upload.
   */
  discardBody(stop: (() => void) | null): void {
    stop?.();
    this.req.resume();
  }
}

// One attempt of a proxied request at one instance: an undici dispatch handler on the instance's
// Pool. undici writes the request and streams the body (a BodySource) with backpressure; this
// relays the response head and body to the client, pausing undici while the client reads slower
// than the instance writes, and settles exactly once, which is where the in-flight counts are
// released and the outcome recorded. Failures go to failure.ts for a verdict.
//
// It uses undici's raw handler callbacks (onConnect/onHeaders/onData/onComplete/onError, marked
// deprecated in undici 7's types but its own internal path): they hand over the head as raw
// Buffers in the instance's order and case, with no parsed header object and no wrapper per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Choice } from './balancer.js';
import { BodySource } from './body-source.js';
import { describeError, judgeFailure } from './failure.js';
import type { UpstreamRequestHead } from './headers.js';
import type { LiveInstance, LiveService, LiveVersion } from './live-routes.js';
import { stickyUpdate } from './overrides.js';
import type { Override } from './overrides.js';
import type { ProxyContext } from './proxy-context.js';
import { relayHead } from './relay-head.js';

/** The request an attempt belongs to (exchange.ts). */
export interface AttemptOwner {
  readonly ctx: ProxyContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly service: LiveService;
  readonly method: string;
  readonly path: string;
  readonly head: UpstreamRequestHead;
  readonly override: Override | null;
  readonly clientGone: boolean;
  /** Starts the next attempt. */
  attempt(choice: Choice): void;
  /** Where a retry goes, or null when nothing is left. */
  retryChoice(failed: LiveVersion): Choice | null;
  /** Answers the client with a gateway error. */
  fail(status: number, error: string, detail: string): void;
}

// undici's timeouts before a response head: which deadline passed.
const TIMED_OUT: Readonly<Record<string, 'connect' | 'response'>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'response',
};

/** One try of a request at one instance. */
export class Attempt implements Dispatcher.DispatchHandler {
  private abort: ((err?: Error) => void) | null = null;
  private body: BodySource | null = null;
  private connected = false;
  private responded = false;
  private settled = false;
  private status = 0;
  private resume: (() => void) | null = null;
  private waitingDrain = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly startMs: number;

  constructor(private readonly ex: AttemptOwner, private readonly version: LiveVersion, private readonly instance: LiveInstance) {
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
      // An address undici cannot use (say port 70000 in a bad table): fail like a refused connect.
      this.failed(err as Error);
      return;
    }
    if (ex.head.hasBody) this.body = new BodySource(ex.req);
    pool.dispatch({
      path: ex.path,
      method: ex.method,
      headers: ex.head.headers,
      body: this.body,
      // Never `false`: that would also override undici's own closing after HEAD and bodies on
      // methods that expect none.
      reset: ex.service.keepAlive ? undefined : true,
    }, this);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.connected = true;
    if (this.settled) abort(); // the client left while the request waited for a connection
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.settled) return false;
    if (statusCode < 200) return true; // informational (103 Early Hints): dropped, the real head follows
    const { ex } = this;
    this.responded = true;
    this.resume = resume;
    try {
      const head = relayHead(statusText, rawHeaders);
      const cookie = stickyUpdate(ex.ctx.prefix, ex.service, ex.override!, this.version.name);
      if (cookie !== null) head.headers.push('Set-Cookie', cookie);
      ex.res.writeHead(statusCode, head.statusMessage, head.headers);
      // Head, body and end of a small response arrive in one parse: corked until the end of this
      // tick (or res.end()), they leave in one write instead of one for the head and one per chunk.
      ex.res.cork();
      process.nextTick(uncork, ex.res);
    } catch (err) {
      // Nothing has reached the client yet: a clean 502, and the connection is not reused.
      this.settle('failure');
      this.abort?.(err as Error);
      ex.fail(502, 'invalid upstream response', `${describeError(err)} (${this.instance.hostHeader})`);
      return false;
    }
    this.status = statusCode;
    // 204 and 304 never have a body, but a 304 may state the length of the representation it
    // stands for (RFC 9110 §8.6), which undici reports as a length mismatch after this head:
    // the response is complete here, and that error (the connection is dropped) reaches nobody.
    if (statusCode === 204 || statusCode === 304) {
      this.settle('response');
      ex.res.end();
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    const res = this.ex.res;
    if (res.write(chunk)) return true;
    // The client reads slower than the instance sends: undici stops reading until it catches up.
    if (!this.waitingDrain) {
      this.waitingDrain = true;
      // A client that stops reading would hold this upstream connection (and its slot in the
      // per-instance limit) for ever: it gets the client body idle time to take more.
      this.stallTimer = setTimeout(() => this.clientStalled(), this.ex.ctx.clientBodyIdleMs);
      res.once('drain', () => {
        clearTimeout(this.stallTimer);
        this.waitingDrain = false;
        if (!this.settled) this.resume?.();
      });
    }
    return false;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settle('response');
    this.ex.res.end();
  }

  onError(err: Error): void {
    if (this.settled) return;
    if (this.responded) {
      // Cut after the head: bytes are at the client, nothing can be retried; cut the client too.
      this.settle('failure');
      this.ex.res.destroy();
      return;
    }
    this.failed(err);
  }

  /** The client went away (or its body stalled): stop the upstream side. */
  abandon(): void {
    if (this.settled) return;
    this.settle('aborted');
    this.abort?.(new Error('the client went away'));
  }

  private clientStalled(): void {
    if (this.settled) return;
    this.settle('aborted');
    this.abort?.(new Error(`the client read nothing for ${this.ex.ctx.clientBodyIdleMs} ms`));
    this.ex.res.destroy();
  }

  private failed(err: Error): void {
    const { ex, version, instance } = this;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const timedOut = TIMED_OUT[code] ?? null;
    // undici reports a connection the instance closed with the socket's counters: bytes read
    // before this request mean it was a reused keep-alive connection (a stale one, or the
    // instance just restarted), which says nothing about the instance's health.
    const socketInfo = (err as { socket?: { bytesRead?: number } }).socket;
    const reusedSocket = (socketInfo?.bytesRead ?? 0) > 0;
    const bodyStarted = this.body?.started ?? false;
    const verdict = judgeFailure({ connected: this.connected, reusedSocket, responseStarted: false, bodyStarted, method: ex.method, timedOut });
    this.settle('failure');
    const reason = `${timedOut === 'connect' ? `connect timeout after ${ex.ctx.connectTimeoutMs} ms` : describeError(err)} (${instance.hostHeader})`;
    if (verdict.eject) ex.ctx.eject(instance, version, reason);
    if (ex.clientGone) return;
    const next = verdict.retry ? ex.retryChoice(version) : null;
    if (next) ex.attempt(next);
    else ex.fail(verdict.status, verdict.status === 504 ? 'upstream timed out' : 'upstream failed', reason);
  }

  private settle(outcome: 'response' | 'failure' | 'aborted'): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.stallTimer);
    this.instance.state.inFlight--;
    this.version.counters.inFlight--;
    const now = this.ex.ctx.clock();
    if (outcome === 'response') this.version.series.response(now, this.status, now - this.startMs);
    else if (outcome === 'failure') this.version.series.failure(now);
    else this.version.series.aborted(now);
  }
}

function uncork(res: ServerResponse): void {
  res.uncork();
}

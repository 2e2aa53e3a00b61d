// One attempt of a proxied request at one instance, over a pooled connection: writes the request,
// holds the body back until the connection exists (so a refused connect can still be retried),
// relays the response with backpressure, and settles exactly once, which is where its in-flight
// counts are released and its outcome recorded. Failures go to failure.ts for a verdict.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Choice } from './balancer.js';
import { pumpBody } from './body-pump.js';
import type { Expiring } from './deadlines.js';
import { describeError, judgeFailure } from './failure.js';
import type { UpstreamRequestHead } from './headers.js';
import type { LiveInstance, LiveService, LiveVersion } from './live-routes.js';
import { stickyUpdate } from './overrides.js';
import type { Override } from './overrides.js';
import type { ProxyContext } from './proxy-context.js';
import type { ResponseHead } from './response-parser.js';
import type { ConnectionUser, UpstreamConnection } from './upstream-pool.js';

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
  /** Drops the rest of the client's body after an early answer. */
  discardBody(stop: (() => void) | null): void;
}

/** One try of a request at one instance. */
export class Attempt implements ConnectionUser, Expiring {
  deadline = Infinity;
  deadlineSlot = -1;
  private conn: UpstreamConnection | null = null;
  private reused = false;
  private connected = false;
  private bodyStarted = false;
  private bodyDone = false;
  private stopBody: (() => void) | null = null;
  private timedOut: 'connect' | 'response' | null = null;
  private responded = false;
  private completed = false;
  private pending: Buffer | null = null;
  private waitingDrain = false;
  private status = 0;
  private settled = false;
  private readonly startMs: number;

  constructor(private readonly ex: AttemptOwner, private readonly version: LiveVersion, private readonly instance: LiveInstance) {
    this.startMs = ex.ctx.clock();
    instance.state.inFlight++;
    version.counters.inFlight++;
  }

  run(): void {
    const { ex, instance } = this;
    let conn: UpstreamConnection;
    try {
      conn = ex.ctx.pool.acquire(instance.hostHeader, instance.host, instance.port);
    } catch (err) {
      // net.connect throws at once for an address it cannot use (say port 0 in a bad table).
      this.failed(err as Error);
      return;
    }
    this.conn = conn;
    conn.user = this;
    conn.requests++;
    this.reused = conn.requests > 1;
    conn.parser.reset(ex.method);
    conn.socket.write(`${ex.method} ${ex.path} HTTP/1.1\r\nHost: ${instance.hostHeader}\r\n${ex.head.block}\r\n`, 'latin1');
    this.bodyDone = !ex.head.hasBody;
    ex.ctx.deadlines.add(this);
    if (conn.connected) this.onConnect();
    else this.deadline = ex.ctx.deadlines.now() + ex.ctx.connectTimeoutMs;
  }

  // The body is held back until the connection exists, so a refused connect can be retried with
  // the body still unread.
  onConnect(): void {
    if (this.settled) return;
    this.connected = true;
    const { ex } = this;
    if (this.bodyDone) this.deadline = ex.ctx.deadlines.now() + ex.ctx.upstreamTimeoutMs;
    else {
      // The response clock starts once the whole body is sent: a long upload is not a slow answer.
      this.deadline = Infinity;
      this.bodyStarted = true;
      this.stopBody = pumpBody(ex.req, this.conn!.socket, ex.head.chunked, () => {
        this.bodyDone = true;
        this.stopBody = null;
        if (!this.responded && !this.settled) this.deadline = ex.ctx.deadlines.now() + ex.ctx.upstreamTimeoutMs;
      });
    }
  }

  expire(): void {
    if (this.settled || this.responded) return;
    this.timedOut = this.connected ? 'response' : 'connect';
    this.conn!.socket.destroy(new Error(`${this.timedOut} timeout`));
  }

  onHead(head: ResponseHead): void {
    this.responded = true;
    this.deadline = Infinity;
    this.ex.ctx.deadlines.delete(this);
    const { ex } = this;
    const headers = head.rawHeaders; // already without hop-by-hop fields
    const cookie = stickyUpdate(ex.ctx.prefix, ex.service, ex.override!, this.version.name);
    if (cookie !== null) headers.push('Set-Cookie', cookie);
    try {
      ex.res.writeHead(head.statusCode, head.statusMessage, headers);
    } catch (err) {
      // Node refuses to emit a header it considers invalid: the instance's fault.
      this.settle('failure');
      this.conn!.socket.destroy();
      ex.fail(502, 'invalid upstream response', describeError(err));
      return;
    }
    this.status = head.statusCode;
  }

  onBody(chunk: Buffer): void {
    if (this.settled) return;
    if (this.pending !== null) this.write(this.pending);
    this.pending = chunk;
  }

  onComplete(): void {
    this.completed = true;
  }

  // Buffered so a small response leaves in one write: head, body and end together.
  afterBytes(): void {
    if (this.settled) return;
    const chunk = this.pending;
    this.pending = null;
    if (this.completed) {
      const conn = this.conn!;
      this.settle('response');
      if (!this.bodyDone) this.ex.discardBody(this.stopBody);
      this.ex.ctx.pool.release(conn, this.bodyDone);
      if (chunk !== null) this.ex.res.end(chunk);
      else this.ex.res.end();
    } else if (chunk !== null) this.write(chunk);
  }

  onParseError(error: Error): void {
    if (this.settled) return;
    this.conn!.socket.destroy();
    this.settle('failure');
    if (this.responded) this.ex.res.destroy();
    else this.ex.fail(502, 'invalid upstream response', `${error.message} (${this.instance.hostHeader})`);
  }

  onClose(error: Error | null): void {
    if (this.settled) return;
    this.stopBody?.();
    if (this.responded) {
      // EOF ends a close-delimited body; anything else means the instance cut the response and,
      // with bytes already at the client, nothing can be retried.
      if (this.conn!.parser.finish()) {
        this.completed = true;
        this.afterBytes();
      } else {
        this.settle('failure');
        this.ex.res.destroy();
      }
      return;
    }
    this.failed(error ?? new Error('connection closed before a response'));
  }

  /** The client went away: stop the upstream side. */
  abandon(): void {
    if (this.settled) return;
    this.stopBody?.();
    this.conn?.socket.destroy();
    this.settle('aborted');
  }

  private failed(err: Error): void {
    const { ex, version, instance } = this;
    const verdict = judgeFailure({ connected: this.connected, reusedSocket: this.reused, responseStarted: false, bodyStarted: this.bodyStarted, method: ex.method, timedOut: this.timedOut });
    this.settle('failure');
    const reason = `${this.timedOut === 'connect' ? `connect timeout after ${ex.ctx.connectTimeoutMs} ms` : describeError(err)} (${instance.hostHeader})`;
    if (verdict.eject) ex.ctx.eject(instance, version, reason);
    if (ex.clientGone) return;
    const next = verdict.retry ? ex.retryChoice(version) : null;
    if (next) ex.attempt(next);
    else ex.fail(verdict.status, verdict.status === 504 ? 'upstream timed out' : 'upstream failed', reason);
  }

  private write(chunk: Buffer): void {
    const conn = this.conn!;
    if (this.ex.res.write(chunk) || this.waitingDrain) return;
    // The client reads slower than the instance sends: stop reading from the instance until it catches up.
    this.waitingDrain = true;
    conn.socket.pause();
    this.ex.res.once('drain', () => {
      this.waitingDrain = false;
      if (!this.settled) conn.socket.resume();
    });
  }

  private settle(outcome: 'response' | 'failure' | 'aborted'): void {
    if (this.settled) return;
    this.settled = true;
    this.ex.ctx.deadlines.delete(this);
    this.instance.state.inFlight--;
    this.version.counters.inFlight--;
    const now = this.ex.ctx.clock();
    if (outcome === 'response') this.version.series.response(now, this.status, now - this.startMs);
    else if (outcome === 'failure') this.version.series.failure(now);
    else this.version.series.aborted(now);
  }
}

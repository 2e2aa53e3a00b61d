// Keep-alive connections to instances, one request at a time per connection, reused LIFO so a few
// hot connections carry the load and the rest age out. A connection has permanent listeners that
// forward to whoever uses it now (its `user`); attaching listeners per request would cost more
// than the rest of the request's bookkeeping.
import net from 'node:net';
import type { Socket } from 'node:net';
import { ResponseParser } from './response-parser.js';
import type { ResponseHead, ResponseSink } from './response-parser.js';

/** What a request using a connection is told. */
export interface ConnectionUser {
  onConnect(): void;
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
  /** Called after each batch of bytes has been parsed (flush buffered writes here). */
  afterBytes(): void;
  onParseError(error: Error): void;
  /** The connection closed while in use; `error` is the socket error, if any. */
  onClose(error: Error | null): void;
}

/** One TCP connection to an instance. */
export class UpstreamConnection implements ResponseSink {
  readonly parser: ResponseParser = new ResponseParser(this);
  user: ConnectionUser | null = null;
  /** Requests started on this connection; > 1 means the current one reuses it. */
  requests = 0;
  connected = false;
  closed = false;
  /** Bytes arrived past the end of a response: the stream is out of step, never reuse it. */
  poisoned = false;
  idleSince = 0;
  private lastError: Error | null = null;

  constructor(readonly key: string, readonly socket: Socket, forget: (c: UpstreamConnection) => void) {
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.user?.onConnect();
    });
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err: Error) => (this.lastError = err));
    socket.on('close', () => {
      this.closed = true;
      forget(this);
      const user = this.user;
      this.user = null;
      user?.onClose(this.lastError);
    });
  }

  onHead(head: ResponseHead): void {
    this.user?.onHead(head);
  }

  onBody(chunk: Buffer): void {
    this.user?.onBody(chunk);
  }

  onComplete(): void {
    this.user?.onComplete();
  }

  private onData(data: Buffer): void {
    const user = this.user;
    if (!user) {
      this.socket.destroy(); // unsolicited bytes on an idle connection
      return;
    }
    try {
      if (this.parser.execute(data) < data.length) this.poisoned = true;
    } catch (err) {
      this.poisoned = true;
      user.onParseError(err as Error);
      return;
    }
    user.afterBytes();
  }
}

/** Options of the pool. */
export interface PoolOptions {
  /** Idle connections older than this are closed, below the usual 5 s server keep-alive timeout. */
  idleTimeoutMs: number;
  maxIdlePerInstance: number;
  now: () => number;
}

/** The pool of connections to every instance. */
export class UpstreamPool {
  private readonly idle = new Map<string, UpstreamConnection[]>();
  private readonly all = new Set<UpstreamConnection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: PoolOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(100, options.idleTimeoutMs / 2)).unref();
  }

  /** An idle connection to host:port (`key`), or a new one still connecting. */
  acquire(key: string, host: string, port: number): UpstreamConnection {
    const list = this.idle.get(key);
    const oldest = this.options.now() - this.options.idleTimeoutMs;
    while (list && list.length > 0) {
      const c = list.pop()!;
      if (c.idleSince >= oldest && !c.closed) return c;
      c.socket.destroy();
    }
    const conn = new UpstreamConnection(key, net.connect(port, host), (c) => this.forget(c));
    this.all.add(conn);
    return conn;
  }

  /** Returns a connection after a complete exchange when it can carry another; else closes it. */
  release(conn: UpstreamConnection, reusable: boolean): void {
    conn.user = null;
    if (!reusable || conn.closed || conn.poisoned || !conn.parser.keepAlive) {
      conn.socket.destroy();
      return;
    }
    let list = this.idle.get(conn.key);
    if (!list) this.idle.set(conn.key, (list = []));
    if (list.length >= this.options.maxIdlePerInstance) {
      conn.socket.destroy();
      return;
    }
    conn.idleSince = this.options.now();
    if (conn.socket.isPaused()) conn.socket.resume(); // paused for a slow client of the last response
    list.push(conn);
  }

  /** Closes every connection, idle or not. */
  close(): void {
    clearInterval(this.sweeper);
    for (const c of this.all) c.socket.destroy();
    this.idle.clear();
  }

  private forget(conn: UpstreamConnection): void {
    this.all.delete(conn);
    const list = this.idle.get(conn.key);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) this.idle.delete(conn.key);
  }

  private sweep(): void {
    const oldest = this.options.now() - this.options.idleTimeoutMs;
    for (const list of this.idle.values()) {
      for (const c of list) if (c.idleSince < oldest) c.socket.destroy();
    }
  }
}

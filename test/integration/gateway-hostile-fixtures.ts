// Hostile peers for the gateway's security tests: a raw TCP "instance" that reads request heads
// the way a naive server does (bodies never read, so a body is parsed as the next request) and
// answers whatever bytes a test scripts, and a raw client that reports exactly what came back.
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** A request head as the naive instance saw it. */
export interface SeenRequest {
  line: string;
  head: string;
  connection: number;
}

/** The raw instance and what it saw. */
export interface RawUpstream {
  port: number;
  requests: SeenRequest[];
  /** Connections accepted so far. */
  connections: number;
  /** Connections currently open. */
  open: number;
  close(): Promise<void>;
}

/** What a script does with one request: write bytes (or nothing) on the socket. */
export type Answer = (socket: Socket, request: SeenRequest) => void;

/** Starts a raw instance on 127.0.0.1 that splits the byte stream at every blank line into request heads. */
export async function startRawUpstream(answer: Answer): Promise<RawUpstream> {
  const sockets = new Set<Socket>();
  const up: RawUpstream = { port: 0, requests: [], connections: 0, open: 0, close: async () => undefined };
  const server = net.createServer((socket) => {
    const id = ++up.connections;
    up.open++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      up.open--;
      sockets.delete(socket);
    });
    let buffered = '';
    socket.on('data', (data: Buffer) => {
      buffered += data.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const request = { line: head.slice(0, head.indexOf('\r\n') === -1 ? head.length : head.indexOf('\r\n')), head, connection: id };
        up.requests.push(request);
        answer(socket, request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  up.port = (server.address() as AddressInfo).port;
  up.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return up;
}

/** A complete response with a Content-Length body. */
export function response(body: string, status = '200 OK', extra = ''): string {
  return `HTTP/1.1 ${status}\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}\r\n${body}`;
}

/** What a raw client received. */
export interface RawReply {
  text: string;
  /** The peer closed the connection (rather than the client giving up). */
  closed: boolean;
  ms: number;
}

/**
 * Writes `bytes` to 127.0.0.1:port and collects what comes back until the peer closes, `done`
 * says the reply is complete, or `waitMs` passes.
 */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 3000, done: (text: string) => boolean = () => false): Promise<RawReply> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = (closed: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (done(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}

/** True once `text` holds a complete response with a Content-Length body. */
export function completeResponse(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
  return length !== null && text.length >= end + 4 + Number(length[1]);
}

/** Resolves once `condition` holds (polled every 20 ms), or rejects after `ms`. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

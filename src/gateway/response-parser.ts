// Incremental HTTP/1.1 response parser for the gateway's upstream connections (RFC 9112). Pure:
// bytes in, callbacks out. It exists because node's http client costs about twice the time of
// everything else a proxied request needs (bench/gateway.ts); this one does only what a proxy
// needs: the head as raw header pairs, the body decoded from its framing, and whether the
// connection may carry another request.
//
// Framing (RFC 9112 §6.3): no body for HEAD, 1xx, 204 and 304; Transfer-Encoding ending in
// chunked -> chunked; other Transfer-Encoding -> until close; else Content-Length; else until
// close. Both Transfer-Encoding and Content-Length -> Transfer-Encoding wins and the connection
// is not reused (a smuggling signal). 1xx heads other than 101 are skipped; 101 is an error here
// (upgrades take another path).
import { ChunkedDecoder } from './chunked-decoder.js';
import { ResponseParseError } from './response-errors.js';
import { parseResponseHead } from './response-head.js';

/** The status line and end-to-end headers of a response. */
export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** [name, value, ...] as received (values trimmed), hop-by-hop fields removed (response-head.ts). */
  rawHeaders: string[];
}

/** Receives what the parser finds. */
export interface ResponseSink {
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

export { ResponseParseError };

type Phase = 'head' | 'length' | 'chunked' | 'close' | 'done';

const MAX_HEAD_BYTES = 64 * 1024;

/** Parses one response at a time; call reset() before each. */
export class ResponseParser {
  private phase: Phase = 'done';
  private bodyless = false;
  private pending: Buffer | null = null;
  private remaining = 0;
  private readonly chunks = new ChunkedDecoder();
  /** Whether the connection may be reused once the response is complete. */
  keepAlive = false;

  constructor(private readonly sink: ResponseSink) {}

  /** Prepares for the response to a request with `method`. */
  reset(method: string): void {
    this.phase = 'head';
    this.bodyless = method === 'HEAD';
    this.pending = null;
    this.keepAlive = false;
  }

  /** Feeds bytes; returns how many were consumed (fewer than given only after completion). Throws ResponseParseError. */
  execute(data: Buffer): number {
    let i = 0;
    while (i < data.length && this.phase !== 'done') {
      if (this.phase === 'head') i = this.head(data, i);
      else if (this.phase === 'length') i = this.lengthBody(data, i);
      else if (this.phase === 'close') {
        this.sink.onBody(i === 0 ? data : data.subarray(i));
        i = data.length;
      } else i = this.chunked(data, i);
    }
    return i;
  }

  /** The connection ended: completes a close-delimited body; false when the response was cut short. */
  finish(): boolean {
    if (this.phase === 'close') this.done();
    return this.phase === 'done';
  }

  private head(data: Buffer, start: number): number {
    let buf = start === 0 ? data : data.subarray(start);
    let from = 0;
    if (this.pending) {
      from = Math.max(0, this.pending.length - 3);
      buf = Buffer.concat([this.pending, buf]);
    }
    const end = buf.indexOf('\r\n\r\n', from, 'latin1');
    if (end === -1) {
      if (buf.length > MAX_HEAD_BYTES) throw new ResponseParseError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
      this.pending = Buffer.from(buf); // a copy: the socket may reuse its buffer
      return data.length;
    }
    const consumedBefore = this.pending ? this.pending.length : 0;
    this.pending = null;
    this.startMessage(buf.toString('latin1', 0, end));
    return start + end + 4 - consumedBefore;
  }

  private startMessage(text: string): void {
    const head = parseResponseHead(text);
    const status = head.statusCode;
    if (status < 200) {
      if (status === 101) throw new ResponseParseError('unexpected 101 Switching Protocols');
      this.phase = 'head'; // informational: the real head follows
      return;
    }
    this.keepAlive = head.http11 && !head.close;
    this.sink.onHead({ statusCode: status, statusMessage: head.statusMessage, rawHeaders: head.headers });
    if (this.bodyless || status === 204 || status === 304) this.done();
    else if (head.transferEncoding !== null) {
      if (head.contentLength !== null) this.keepAlive = false;
      if (/(^|,)\s*chunked\s*$/i.test(head.transferEncoding)) {
        this.phase = 'chunked';
        this.chunks.reset();
      } else this.closeBody();
    } else if (head.contentLength !== null) {
      this.remaining = Number(head.contentLength);
      if (this.remaining === 0) this.done();
      else this.phase = 'length';
    } else this.closeBody();
  }

  private closeBody(): void {
    this.keepAlive = false;
    this.phase = 'close';
  }

  private lengthBody(data: Buffer, i: number): number {
    const take = Math.min(this.remaining, data.length - i);
    this.sink.onBody(i === 0 && take === data.length ? data : data.subarray(i, i + take));
    this.remaining -= take;
    if (this.remaining === 0) this.done();
    return i + take;
  }

  private chunked(data: Buffer, i: number): number {
    const next = this.chunks.decode(data, i, this.sink);
    if (this.chunks.finished) this.done();
    return next;
  }

  private done(): void {
    this.phase = 'done';
    this.remaining = 0;
    this.sink.onComplete();
  }
}

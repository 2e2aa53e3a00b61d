// The gateway's own answers (404, 503, 502, 504, 400) as small JSON bodies, on a ServerResponse
// or, where node gives only a socket (upgrades, parse errors), as raw HTTP/1.1 bytes.
import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** JSON body of a gateway answer, e.g. {"error":"no healthy instance","service":"web"}. */
export interface GatewayError {
  error: string;
  service?: string;
  requestId?: string;
  detail?: string;
}

/**
 * Sends `body` with `status` unless headers are already out, in which case the response is cut.
 * The reason phrase is always given: node would otherwise reuse one a failed writeHead left
 * behind (an instance's "OK" on a 502).
 */
export function sendError(res: ServerResponse, status: number, body: GatewayError, extra: readonly string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, STATUS_CODES[status] ?? 'Error', ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(json)), 'Cache-Control', 'no-store', ...extra]);
  res.end(json);
}

/** A complete HTTP/1.1 response with a JSON body, closing the connection. */
export function rawError(status: number, body: GatewayError): string {
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
    `Cache-Control: no-store\r\nConnection: close\r\n\r\n${json}`
  );
}

/** Writes rawError to a socket (when still writable) and closes it. */
export function socketError(socket: Duplex, status: number, body: GatewayError): void {
  if (socket.writable) socket.end(rawError(status, body));
  else socket.destroy();
}

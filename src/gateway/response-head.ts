// Parses a response head (status line and header fields, without the final blank line) into
// what the proxy needs: the end-to-end headers to relay, and the framing facts. Pure. Hand-rolled
// with indexOf rather than split and regular expressions: it runs once per proxied request.
import { ResponseParseError } from './response-errors.js';

/** A parsed response head. */
export interface ParsedHead {
  statusCode: number;
  statusMessage: string;
  /** HTTP/1.1 (true) or HTTP/1.0. */
  http11: boolean;
  /** End-to-end fields only: hop-by-hop ones and those Connection names are already gone. */
  headers: string[];
  contentLength: string | null;
  transferEncoding: string | null;
  /** Connection: close was sent. */
  close: boolean;
}

/**
 * Parses `text` ('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close').
 * Example result: { statusCode: 200, statusMessage: 'OK', http11: true,
 * headers: ['Content-Length', '2'], contentLength: '2', transferEncoding: null, close: true }.
 * Throws ResponseParseError on a malformed status line, a line without a colon, obs-fold, or a
 * bad or conflicting Content-Length.
 */
export function parseResponseHead(text: string): ParsedHead {
  let eol = text.indexOf('\r\n');
  if (eol === -1) eol = text.length;
  const statusCode = statusOf(text, eol);
  const head: ParsedHead = {
    statusCode,
    statusMessage: eol > 13 ? text.slice(13, eol) : '',
    http11: text.charCodeAt(7) === 49,
    headers: [],
    contentLength: null,
    transferEncoding: null,
    close: false,
  };
  let named: Set<string> | null = null;
  for (let pos = eol + 2; pos < text.length; ) {
    let end = text.indexOf('\r\n', pos);
    if (end === -1) end = text.length;
    const colon = text.indexOf(':', pos);
    const first = text.charCodeAt(pos);
    if (colon <= pos || colon > end || first === 32 || first === 9 || text.charCodeAt(colon - 1) === 32) {
      throw new ResponseParseError(`invalid header line ${JSON.stringify(text.slice(pos, Math.min(end, pos + 80)))}`);
    }
    const name = text.slice(pos, colon);
    const value = text.slice(colon + 1, end).trim();
    pos = end + 2;
    // Gate on length first: most fields are none of these, and then no lowercase copy is made.
    switch (name.length) {
      case 2: case 7: case 16: case 18: case 19:
        if (isHopByHop(name.toLowerCase())) continue;
        break;
      case 10: {
        const lower = name.toLowerCase();
        if (lower === 'keep-alive') continue;
        if (lower !== 'connection') break;
        for (const token of value.split(',')) {
          const t = token.trim().toLowerCase();
          if (t === 'close') head.close = true;
          else if (t !== '' && t !== 'keep-alive' && t !== 'upgrade') (named ??= new Set()).add(t);
        }
        continue;
      }
      case 14:
        if (name.toLowerCase() !== 'content-length') break;
        if (!/^\d{1,15}$/.test(value) || (head.contentLength !== null && head.contentLength !== value)) {
          throw new ResponseParseError(`invalid Content-Length ${JSON.stringify(value.slice(0, 40))}`);
        }
        if (head.contentLength !== null) continue; // an identical repeat adds nothing
        head.contentLength = value;
        break;
      case 17:
        if (name.toLowerCase() !== 'transfer-encoding') break;
        head.transferEncoding = head.transferEncoding === null ? value : `${head.transferEncoding}, ${value}`;
        continue; // node re-frames the body for the client
    }
    head.headers.push(name, value);
  }
  // With Transfer-Encoding the length is not the body's (RFC 9112 §6.3): node frames it anew.
  if (head.transferEncoding !== null && head.contentLength !== null) (named ??= new Set()).add('content-length');
  if (named !== null) head.headers = dropNamed(head.headers, named);
  return head;
}

function statusOf(text: string, eol: number): number {
  const minor = text.charCodeAt(7);
  const d1 = text.charCodeAt(9) - 48;
  const d2 = text.charCodeAt(10) - 48;
  const d3 = text.charCodeAt(11) - 48;
  const valid =
    text.startsWith('HTTP/1.') && (minor === 48 || minor === 49) && text.charCodeAt(8) === 32 &&
    d1 >= 1 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9 && (eol === 12 || text.charCodeAt(12) === 32);
  if (!valid) throw new ResponseParseError(`invalid status line ${JSON.stringify(text.slice(0, Math.min(eol, 80)))}`);
  return d1 * 100 + d2 * 10 + d3;
}

function isHopByHop(lower: string): boolean {
  return lower === 'te' || lower === 'upgrade' || lower === 'proxy-connection' || lower === 'proxy-authenticate' || lower === 'proxy-authorization';
}

function dropNamed(headers: string[], named: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (!named.has(headers[i]!.toLowerCase())) out.push(headers[i]!, headers[i + 1]!);
  return out;
}

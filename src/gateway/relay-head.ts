// Turns an upstream response head, as undici's llhttp parsed it, into the head the client gets.
// Pure. llhttp has already refused bad framing, bare LFs, control characters in header values
// and oversized heads; this adds what a proxy must do on top (RFC 9110 §7.6.1): drop hop-by-hop
// fields and those Connection names, keep transfer codings other than chunked (node re-frames
// the body chunked around them), and refuse a reason phrase node could not write, so the
// client gets a clean 502 instead of a throw half-way through its response.

/** The upstream head cannot be relayed as it is (the instance's fault: answer 502). */
export class InvalidUpstreamHead extends Error {
  override readonly name = 'InvalidUpstreamHead';
}

/** The head to write with ServerResponse.writeHead. */
export interface RelayHead {
  statusMessage: string;
  /** [name, value, ...] in the upstream's order and case, hop-by-hop fields gone. */
  headers: string[];
}

// What node's writeHead accepts in a reason phrase or field value (its checkInvalidHeaderChar).
const INVALID_TEXT = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Builds the client's head from undici's raw head ([name, value, ...] as Buffers).
 * Example: 'OK', [Connection: close, X-A: 1, Transfer-Encoding: gzip] ->
 * { statusMessage: 'OK', headers: ['X-A', '1', 'Transfer-Encoding', 'gzip, chunked'] }.
 * Throws InvalidUpstreamHead for a reason phrase or field value node would refuse.
 */
export function relayHead(statusText: string, raw: readonly Buffer[]): RelayHead {
  if (INVALID_TEXT.test(statusText)) throw new InvalidUpstreamHead(`invalid reason phrase ${JSON.stringify(statusText.slice(0, 80))}`);
  const headers: string[] = [];
  let named: Set<string> | null = null;
  let codings: string | null = null;
  let hasLength = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const value = raw[i + 1]!.toString('latin1');
    // Gate on length first: most fields are none of these, and then no lowercase copy is made.
    switch (name.length) {
      case 2: case 7: case 16: case 18: case 19:
        if (HOP_NAMES.has(name.toLowerCase())) continue;
        break;
      case 10: {
        const lower = name.toLowerCase();
        if (lower === 'keep-alive') continue;
        if (lower !== 'connection') break;
        for (const token of value.split(',')) {
          const t = token.trim().toLowerCase();
          if (t !== '' && t !== 'close' && t !== 'keep-alive' && t !== 'upgrade') (named ??= new Set()).add(t);
        }
        continue;
      }
      case 14:
        if (name.toLowerCase() === 'content-length') hasLength = true;
        break;
      case 17:
        if (name.toLowerCase() !== 'transfer-encoding') break;
        for (const token of value.split(',')) {
          const t = token.trim();
          if (t !== '' && t.toLowerCase() !== 'chunked') codings = codings === null ? t : `${codings}, ${t}`;
        }
        continue;
    }
    if (INVALID_TEXT.test(value)) throw new InvalidUpstreamHead(`invalid value of ${JSON.stringify(name.slice(0, 40))}`);
    headers.push(name, value);
  }
  // A coding such as gzip is part of the message: keep it and let node add chunked framing
  // (RFC 9112 §6.1: chunked must be the last coding). A length beside it does not describe the body.
  if (codings !== null) {
    if (hasLength) (named ??= new Set()).add('content-length');
    headers.push('Transfer-Encoding', `${codings}, chunked`);
  }
  return { statusMessage: statusText, headers: named === null ? headers : dropNamed(headers, named) };
}

const HOP_NAMES: ReadonlySet<string> = new Set(['te', 'upgrade', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization']);

function dropNamed(headers: string[], named: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (!named.has(headers[i]!.toLowerCase())) out.push(headers[i]!, headers[i + 1]!);
  return out;
}

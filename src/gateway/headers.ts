// Header rewriting between client and instance, on node's flat raw-header lists
// ([name, value, name, value, ...]) so case, order and repeated fields survive untouched. Pure.
// Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection, not the message, so they are
// dropped both ways, with every field the Connection header names. Transfer-Encoding is dropped
// too: node (client side) and undici (upstream side) frame each message themselves.

/** Field names that never cross the gateway (lowercase). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization',
]);

// Reserved Connection options that name no other field.
const CONNECTION_OPTIONS = new Set(['close', 'keep-alive', 'upgrade']);
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

/** Lowercase field names listed in Connection headers, excluding close/keep-alive/upgrade; null when none. */
export function connectionNamed(raw: readonly string[]): Set<string> | null {
  let named: Set<string> | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length !== 10 || raw[i]!.toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1]!.split(',')) {
      const t = token.trim().toLowerCase();
      if (t !== '' && !CONNECTION_OPTIONS.has(t)) (named ??= new Set()).add(t);
    }
  }
  return named;
}

/** Raw headers without hop-by-hop fields and the fields Connection names. Example: ['Connection','x-a','X-A','1','Y','2'] -> ['Y','2']. */
export function withoutHopByHop(raw: readonly string[]): string[] {
  const named = connectionNamed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** What the proxy learns about the client's request while copying its headers. */
export interface UpstreamRequestHead {
  /**
   * The header fields to send, as [name, value, ...] (undici's flat form), without Host and
   * framing: undici writes Host from the instance's origin, Content-Length from `contentLength`
   * (kept here as a field it reads), chunked framing for a body without one, and
   * Connection/Upgrade itself.
   */
  headers: string[];
  requestId: string;
  /** Whether a body follows (non-zero Content-Length, or Transfer-Encoding). */
  hasBody: boolean;
  /** The body is sent chunked (the client sent Transfer-Encoding). */
  chunked: boolean;
  /** The Upgrade value of an upgrade request ('websocket'), else null. */
  upgrade: string | null;
  /** X-DSR-Version as sent, or null. */
  pinnedVersion: string | null;
  /** All Cookie headers joined with '; ', or null. */
  cookie: string | null;
}

/** Connection facts the forwarded headers record. */
export interface ClientFacts {
  remoteAddress: string | undefined;
  encrypted: boolean;
  /** True for an Upgrade (WebSocket) request: its Upgrade value is reported for undici to send. */
  upgrade: boolean;
  newRequestId: () => string;
}

/**
 * Builds the upstream request's header fields from the client's raw headers in one pass:
 * hop-by-hop fields dropped, Host left to undici (it differs per instance), X-Forwarded-For
 * appended with the client address, X-Forwarded-Proto/-Host set, X-Request-Id kept when sane or
 * generated; Content-Length kept unless the client streams the body chunked.
 * Example: ['Host','a.example','Connection','keep-alive','X-A','1'] from 10.0.0.1 ->
 * ['X-A','1','X-Forwarded-For','10.0.0.1','X-Forwarded-Proto','http','X-Forwarded-Host','a.example','X-Request-Id','<new>'].
 */
export function upstreamRequestHead(raw: readonly string[], client: ClientFacts): UpstreamRequestHead {
  const named = connectionNamed(raw);
  const out: string[] = [];
  let host: string | null = null;
  let forwardedFor: string | null = null;
  let requestId: string | null = null;
  let contentLength: string | null = null;
  let chunked = false;
  let pinnedVersion: string | null = null;
  let cookie: string | null = null;
  let upgrade: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    switch (lower) {
      case 'host': host ??= value; continue;
      case 'x-forwarded-for': forwardedFor = forwardedFor === null ? value : `${forwardedFor}, ${value}`; continue;
      case 'x-forwarded-proto': case 'x-forwarded-host': continue;
      case 'x-request-id': if (requestId === null && SANE_REQUEST_ID.test(value)) requestId = value; continue;
      case 'content-length': contentLength = value; continue;
      case 'transfer-encoding': chunked = true; continue;
      // Node answers "Expect: 100-continue" itself before the request reaches us.
      case 'expect': continue;
      case 'upgrade': if (client.upgrade) upgrade ??= value; continue;
      case 'x-dsr-version': pinnedVersion ??= value.trim(); break;
      case 'cookie': cookie = cookie === null ? value : `${cookie}; ${value}`; break;
      default: if (HOP_BY_HOP.has(lower) || named?.has(lower)) continue;
    }
    out.push(name, value);
  }
  // With chunked framing the length is not the client's to declare (RFC 9112 §6.3); undici
  // chunk-encodes a body without a length itself.
  if (!chunked && contentLength !== null) out.push('Content-Length', contentLength);
  const address = client.remoteAddress ?? 'unknown';
  out.push('X-Forwarded-For', forwardedFor === null ? address : `${forwardedFor}, ${address}`);
  out.push('X-Forwarded-Proto', client.encrypted ? 'https' : 'http');
  if (host !== null) out.push('X-Forwarded-Host', host);
  requestId ??= client.newRequestId();
  out.push('X-Request-Id', requestId);
  const hasBody = chunked || (contentLength !== null && contentLength !== '0');
  return { headers: out, requestId, hasBody, chunked, upgrade, pinnedVersion, cookie };
}

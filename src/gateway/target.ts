// Reads a request target: is it the gateway's, for which service, and which upstream path. Pure.
// The upstream path is the client's bytes after /<prefix>/<service>, kept exactly (percent
// encodings and the query included), except that targets which could climb out of the service's
// path (dot segments, also percent-encoded; backslashes) are refused: an upstream that decodes
// before routing must not be steered by them. The connection itself always goes to an address
// from the route table; nothing here can name a host.

/** What to do with a request target. */
export type Target =
  | { kind: 'pass' }
  | { kind: 'route'; service: string; path: string }
  | { kind: 'reject'; status: 400 | 404; error: string; service?: string };

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
const PASS: Target = { kind: 'pass' };

/** Normalises a prefix option: leading slash, no trailing slash ('gateway/' -> '/gateway'). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Whether `url` (origin-form) lies under `prefix`: '/gateway', '/gateway/x', '/gateway?q' do; '/gatewayx' does not. */
export function underPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63; /* ? */
}

/**
 * Classifies `url` against `prefix`.
 * Examples (prefix '/gateway'): '/gateway/web/a%2Fb?x=1' -> route web '/a%2Fb?x=1';
 * '/gateway/web' -> route web '/'; '/gateway/web?x' -> route web '/?x'; '/api' -> pass;
 * '/gateway/web/../x' -> reject 400; '/gateway/Web/' -> reject 404;
 * 'http://evil/gateway/web/' -> reject 400 (absolute-form aimed at the gateway).
 */
export function parseTarget(url: string, prefix: string): Target {
  if (url.charCodeAt(0) !== 47) {
    const authority = ABSOLUTE_FORM.exec(url);
    if (authority && underPrefix(url.slice(authority[0].length) || '/', prefix)) {
      return { kind: 'reject', status: 400, error: 'absolute-form request targets are not accepted by the gateway' };
    }
    return PASS;
  }
  if (!underPrefix(url, prefix)) return PASS;
  const after = url.slice(prefix.length);
  const first = after.charCodeAt(1);
  if (after.length <= 1 || first === 63 || first === 47) return { kind: 'reject', status: 404, error: 'no service named in the path: use /<prefix>/<service>/' };
  let end = 1;
  while (end < after.length && after.charCodeAt(end) !== 47 && after.charCodeAt(end) !== 63) end++;
  const service = after.slice(1, end);
  if (!SERVICE_NAME.test(service)) return { kind: 'reject', status: 404, error: 'unknown service', service: service.slice(0, 100) };
  let path = after.slice(end);
  if (path === '') path = '/';
  else if (path.charCodeAt(0) === 63) path = `/${path}`;
  if (climbsOut(path)) return { kind: 'reject', status: 400, error: 'path must not contain dot segments or backslashes', service };
  return { kind: 'route', service, path };
}

/** Whether the path part of `path` has a '.'/'..' segment (also as %2e, or split by %2f) or a backslash. */
export function climbsOut(path: string): boolean {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  // Fast path for the common case: nothing that could form a dot segment or a separator.
  if (!p.includes('.') && !p.includes('%') && !p.includes('\\')) return false;
  if (p.includes('\\') || /%5c/i.test(p)) return true;
  const decoded = p.replace(/%2e/gi, '.').replace(/%2f/gi, '/');
  return decoded.split('/').some((segment) => segment === '.' || segment === '..');
}

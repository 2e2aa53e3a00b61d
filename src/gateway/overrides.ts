// Per-request version overrides: the X-DSR-Version header pins a version (e.g. to try a canary
// by hand), and for sticky services the dsr-<service> cookie keeps a client on the version it
// first got, so one user does not flip between versions mid-rollout. Pure.
import { hasUsable } from './balancer.js';
import type { LiveService, LiveVersion } from './live-routes.js';

/** Which version a request asks for, and what its sticky cookie said. */
export interface Override {
  /** The version to try first, or null for the weighted choice. */
  pinned: LiveVersion | null;
  /** True when the header chose it: the cookie is then left alone. */
  byHeader: boolean;
  /** The version named by the sticky cookie (sticky services only), or null. */
  cookieVersion: string | null;
}

/** The sticky cookie's name for a service: 'dsr-<service>'. */
export function stickyCookieName(service: string): string {
  return `dsr-${service}`;
}

/** The value of cookie `name` in a Cookie header ('a=1; dsr-web=v2' -> 'dsr-web' is 'v2'), or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return null;
}

/** The Set-Cookie value that makes a client sticky: 'dsr-web=v2; Path=/gateway/web; HttpOnly; SameSite=Lax'. */
export function stickySetCookie(prefix: string, service: string, version: string): string {
  return `${stickyCookieName(service)}=${version}; Path=${prefix}/${service}; HttpOnly; SameSite=Lax`;
}

/**
 * Resolves the overrides of one request. The header wins when its version exists and has a
 * usable instance; the cookie counts on sticky services while its version has a usable instance
 * and weight > 0 (a version at weight 0 is on its way out, so sticky clients move on).
 */
export function resolveOverride(service: LiveService, header: string | null, cookieHeader: string | null, tried: readonly string[] = []): Override {
  const cookieVersion = service.sticky ? readCookie(cookieHeader, stickyCookieName(service.name)) : null;
  if (header !== null) {
    const v = service.byName.get(header);
    if (v && hasUsable(v, tried)) return { pinned: v, byHeader: true, cookieVersion };
  }
  if (cookieVersion !== null) {
    const v = service.byName.get(cookieVersion);
    if (v && v.weight > 0 && hasUsable(v, tried)) return { pinned: v, byHeader: false, cookieVersion };
  }
  return { pinned: null, byHeader: false, cookieVersion };
}

/** The Set-Cookie to send after `served` answered, or null when none is needed. */
export function stickyUpdate(prefix: string, service: LiveService, override: Override, served: string): string | null {
  if (!service.sticky || override.byHeader || override.cookieVersion === served) return null;
  return stickySetCookie(prefix, service.name, served);
}

// DNS-rebinding protection for the API. A web page the operator visits can point its own name at
// 127.0.0.1 and then read DSR's answers as same-origin; the one thing it cannot change is the
// Host header, which carries the attacker's name. So the read routes answer only Hosts that are
// loopback names, the address DSR listens on, or names the operator allowed (DSR_ALLOWED_HOSTS);
// others get 421 Misdirected Request. The host part is pure; the middleware is the thin shell.
import { isIPv4, isIPv6 } from 'node:net';
import type { Request, RequestHandler } from 'express';

/** Which Host headers the API answers. */
export interface HostPolicy {
  /** Exact host names (lowercase, no port). */
  names: ReadonlySet<string>;
  /** Domain suffixes from entries starting with '.': `.example.com` allows example.com and any subdomain. */
  suffixes: readonly string[];
  /** `*` in DSR_ALLOWED_HOSTS: every Host (the protection is off; for a proxy that checks Host itself). */
  any: boolean;
}

/**
 * The policy for a DSR listening on `bindHost` with DSR_ALLOWED_HOSTS = `allowed` (comma-separated
 * names, optional ports ignored). Example: ('0.0.0.0', 'dsr.lan, .corp.example') → loopback names,
 * dsr.lan, corp.example and its subdomains (0.0.0.0 and :: are not names anyone can send).
 */
export function hostPolicy(bindHost: string, allowed: string | undefined): HostPolicy {
  const names = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  const bind = hostName(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  if (bind !== null && bind !== '0.0.0.0' && bind !== '::') names.add(bind);
  for (const raw of (allowed ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') any = true;
    else if (entry.startsWith('.')) suffixes.push(entry.slice(1).replace(/\.$/, ''));
    else {
      const name = hostName(entry);
      if (name === null) throw new Error(`DSR_ALLOWED_HOSTS: ${JSON.stringify(raw.trim())} is not a host name; give names like dsr.example.com, .example.com or 10.0.0.5, separated by commas`);
      names.add(name);
    }
  }
  return { names, suffixes, any };
}

/**
 * The host name of a Host header, lowercase, without port, brackets or a final dot; null when it
 * is not a plausible host. Examples: 'LocalHost:8000' → 'localhost', '[::1]:80' → '::1'.
 */
export function hostName(header: string): string | null {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return isIPv6(bracketed[1]!) ? bracketed[1]! : null;
  const plain = /^([a-z0-9._-]+?)\.?(?::\d{1,5})?$/.exec(value);
  return plain ? plain[1]! : null;
}

/** Whether `name` (from hostName) is loopback: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}

/** Whether the API answers a request whose Host header is `header` (undefined: none sent). */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  // No Host at all is HTTP/1.0 from a script; browsers always send one, so rebinding needs it.
  if (header === undefined) return true;
  if (policy.any) return true;
  const name = hostName(header);
  if (name === null) return false;
  if (isLoopbackName(name) || policy.names.has(name)) return true;
  return policy.suffixes.some((s) => name === s || name.endsWith(`.${s}`));
}

/** Express middleware answering 421 to a request whose Host the policy refuses. */
export function hostCheck(policy: HostPolicy): RequestHandler {
  return (req: Request, res, next) => {
    if (hostAllowed(req.headers.host, policy)) {
      next();
      return;
    }
    res.status(421).json({
      error: `DSR does not answer for the host ${JSON.stringify(req.headers.host)} (DNS-rebinding protection): use http://127.0.0.1 or http://localhost, or add the name to DSR_ALLOWED_HOSTS`,
    });
  };
}

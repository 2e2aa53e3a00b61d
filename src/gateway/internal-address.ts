// The internal gateway listener's address as the gateway sees it (SPEC §8: `$DSR_GATEWAY_URL/<service>/...`
// from inside any DSR container). Where that address comes from is the runtime's business
// (src/docker/gateway-address.ts for Docker); this file holds the port default and the URL. Pure.

/** The internal listener's default port; DSR_INTERNAL_PORT / --internal-port change it. */
export const DEFAULT_INTERNAL_PORT = 7701;

/** The path every internal URL ends in: the gateway's prefix, and the only one the listener serves. */
export const INTERNAL_PREFIX = '/gateway';

/** Where to bind, and the host name the instances use in DSR_GATEWAY_URL. */
export interface InternalAddress {
  bind: string;
  urlHost: string;
}

/** DSR_GATEWAY_URL for a host and port, e.g. ('172.17.0.1', 7701) -> 'http://172.17.0.1:7701/gateway'. */
export function internalGatewayUrl(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}${INTERNAL_PREFIX}`;
}

// The contract between the controller and the gateway: which instances of which version of which
// service may get traffic, and with what weight. The controller builds a new table whenever
// desired state, containers or health change and hands it over whole (Gateway.setRoutes).

/** Where an instance listens, e.g. { host: '127.0.0.1', port: 32768 }. */
export interface Address {
  host: string;
  port: number;
}

/** One instance; the controller puts only HEALTHY instances in the table. */
export interface RouteInstance {
  id: string;
  address: Address;
}

/** One version: `weight` in percent (the versions of a service sum to 100; 0 is allowed). */
export interface RouteVersion {
  name: string;
  weight: number;
  instances: RouteInstance[];
}

/** One service reachable under /<prefix>/<name>/. */
export interface RouteService {
  name: string;
  sticky: boolean;
  /**
   * false: one request per upstream connection (spec.gateway.upstreamKeepAlive), for instances
   * that write stray responses; absent or true: keep-alive pools.
   */
  upstreamKeepAlive?: boolean;
  versions: RouteVersion[];
}

/** Every routable service, by name. */
export interface RouteTable {
  services: ReadonlyMap<string, RouteService>;
}

/** A table with no services: the gateway's state before the controller's first pass. */
export function emptyRouteTable(): RouteTable {
  return { services: new Map() };
}

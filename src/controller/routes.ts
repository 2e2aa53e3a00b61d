// Builds the gateway's route table from what should run and what is healthy. Pure: the
// controller calls it after every change of desired state, containers or health, and swaps
// the result into the gateway in one assignment.
import type { ObservedContainer } from '../runtime/runtime.js';
import type { RouteService, RouteTable } from '../gateway/route-table.js';

/** The routing-relevant part of a desired service. */
export interface RoutedService {
  name: string;
  /** A service without a port (SPEC §8): it gets no route. Absent: false. */
  worker?: boolean;
  sticky: boolean;
  /** Absent: true (keep-alive pools). */
  upstreamKeepAlive?: boolean;
  versions: ReadonlyArray<{ name: string; weight: number }>;
}

/**
 * One route per service, one entry per version with its weight, listing only running containers
 * that `routable` accepts (healthy ones) and whose address is known, in index order. Workers
 * get no route: `/gateway/<worker>/` answers like an unknown service.
 */
export function buildRouteTable(
  services: Iterable<RoutedService>,
  observed: readonly ObservedContainer[],
  routable: (containerId: string) => boolean,
): RouteTable {
  const table = new Map<string, RouteService>();
  for (const service of services) {
    if (service.worker) continue;
    table.set(service.name, {
      name: service.name,
      sticky: service.sticky,
      ...(service.upstreamKeepAlive === false ? { upstreamKeepAlive: false } : {}),
      versions: service.versions.map((v) => ({
        name: v.name,
        weight: v.weight,
        instances: observed
          .filter((c) => c.service === service.name && c.version === v.name && c.state === 'running' && c.address && routable(c.id))
          .sort((a, b) => a.index - b.index)
          .map((c) => ({ id: c.id, address: c.address! })),
      })),
    });
  }
  return { services: table };
}

// Where the internal gateway listener binds on Swarm, and the host DSR_GATEWAY_URL names. Pure:
// DSR's own container inspect is passed in, fetched by SwarmRuntime.internalGatewayAddress.
import { networkModeAddress } from '../docker/gateway-address.js';
import type { SelfFacts } from '../docker/gateway-address.js';
import type { InternalAddress } from '../gateway/internal-address.js';
import { SWARM_SERVICE_NAME_LABEL } from './task-labels.js';

/** DSR's own container inspect, with the labels that say whether it is a Swarm task. */
export interface SwarmSelfFacts extends SelfFacts {
  Config?: { Labels?: Record<string, string> | null } | null;
}

/**
 * Binds DSR's own address on the overlay, as Docker's network mode does. The URL names DSR's
 * Swarm service when DSR runs as a task (e.g. `dsr_dsr`, deploy/swarm-stack.yml), not its
 * container: Swarm recreates a task under a new container name (a restart, `docker service update`,
 * a move to another manager), while the service keeps its name, which Swarm's DNS resolves on the
 * overlay to the task's current IP (endpoint mode dnsrr; a virtual IP would need IPVS). So an
 * instance created before keeps a URL that works. Outside a task (no such label, e.g. `docker run`
 * on the overlay) the container name, as on Docker.
 */
export function swarmInternalAddress(self: SwarmSelfFacts, network: string): InternalAddress {
  const address = networkModeAddress(self, network);
  const service = self.Config?.Labels?.[SWARM_SERVICE_NAME_LABEL];
  return service ? { ...address, urlHost: service } : address;
}

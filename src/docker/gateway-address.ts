// Where the internal gateway listener binds on a Docker host, and the host name instances put in
// DSR_GATEWAY_URL (src/gateway/internal-listener.ts serves it). Pure: the engine's answers
// (network inspect, DSR's own container inspect) are passed in, already fetched by DockerRuntime.
import type { InternalAddress } from '../gateway/internal-address.js';
import type { AddressMode } from './observe.js';

/** The parts of `docker network inspect` this needs. */
export interface NetworkFacts {
  Name: string;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> | null } | null;
}

/** The parts of `docker container inspect` (of DSR's own container) this needs. */
export interface SelfFacts {
  Name: string;
  NetworkSettings: { Networks: Record<string, { IPAddress?: string } | undefined> };
}

/** The listener's address cannot be chosen; the message says what to change. */
export class InternalAddressError extends Error {
  override readonly name = 'InternalAddressError';
}

/**
 * Host mode: the IPv4 gateway of the bridge the instances are attached to (docker0's, e.g.
 * 172.17.0.1), for both binding and the URL. Never 0.0.0.0: that address exists on the host
 * only, so the listener is not offered on the host's LAN interfaces.
 */
export function hostModeAddress(network: NetworkFacts): InternalAddress {
  const gateway = (network.IPAM?.Config ?? []).map((c) => c.Gateway ?? '').find((g) => /^\d{1,3}(\.\d{1,3}){3}$/.test(g));
  if (!gateway) {
    throw new InternalAddressError(`Docker network "${network.Name}" has no IPv4 gateway address to bind the internal gateway to; check \`docker network inspect ${network.Name}\` (IPAM.Config[].Gateway)`);
  }
  return { bind: gateway, urlHost: gateway };
}

/**
 * Network mode: DSR's own address on the shared network for binding (not its other networks,
 * not 0.0.0.0), and its container name for the URL, which Docker's DNS resolves on that network
 * and which stays the same when the container is recreated (compose keeps the name).
 */
export function networkModeAddress(self: SelfFacts, network: string): InternalAddress {
  const name = self.Name.replace(/^\//, '');
  const ip = self.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) {
    throw new InternalAddressError(`DSR's container "${name}" is not attached to the network "${network}" its instances use: start it with --network ${network} (docker-compose.yml does) or \`docker network connect ${network} ${name}\``);
  }
  return { bind: ip, urlHost: name };
}

/** Chooses by mode; the facts of the other mode are not needed (and not fetched). */
export function chooseInternalAddress(mode: AddressMode, facts: { network?: NetworkFacts; self?: SelfFacts }, network: string): InternalAddress {
  if (mode === 'host') {
    if (!facts.network) throw new InternalAddressError('host mode needs the instances\' network (network inspect)');
    return hostModeAddress(facts.network);
  }
  if (!facts.self) throw new InternalAddressError('network mode needs DSR\'s own container (container inspect)');
  return networkModeAddress(facts.self, network);
}


// How DSR reaches its instances depends on where DSR itself runs: on the host it can only reach
// ports published on 127.0.0.1; inside a container it shares a Docker network with them.
import type { AddressMode } from './observe.js';

/**
 * 'network' when DSR runs in its own container (DSR's image sets DSR_IN_DOCKER=1), else 'host';
 * DSR_NETWORK_MODE=host|network overrides both. /.dockerenv is deliberately not consulted: a
 * CI runner or sandbox can be a container that drives the host's engine, and cannot then reach
 * instances by name.
 */
export function detectMode(env: NodeJS.ProcessEnv = process.env): AddressMode {
  const forced = env['DSR_NETWORK_MODE'];
  if (forced === 'host' || forced === 'network') return forced;
  if (forced) throw new Error(`DSR_NETWORK_MODE must be "host" or "network", got "${forced}"`);
  return env['DSR_IN_DOCKER'] === '1' ? 'network' : 'host';
}

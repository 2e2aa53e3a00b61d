// How DSR reaches its instances depends on where DSR itself runs: on the host it can only reach
// ports published on 127.0.0.1; inside a container it shares a Docker network with them.
import { existsSync } from 'node:fs';
import type { AddressMode } from './observe.js';

/**
 * 'network' when DSR runs in a container (/.dockerenv exists or DSR_IN_DOCKER=1), else 'host';
 * DSR_NETWORK_MODE=host|network overrides both. The arguments exist for tests.
 */
export function detectMode(
  env: NodeJS.ProcessEnv = process.env,
  fileExists: (path: string) => boolean = existsSync,
): AddressMode {
  const forced = env['DSR_NETWORK_MODE'];
  if (forced === 'host' || forced === 'network') return forced;
  if (forced) throw new Error(`DSR_NETWORK_MODE must be "host" or "network", got "${forced}"`);
  return env['DSR_IN_DOCKER'] === '1' || fileExists('/.dockerenv') ? 'network' : 'host';
}

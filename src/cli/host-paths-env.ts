// DSR_HOST_PATHS as `dsr validate`, `dsr plan` and `dsr run` read it: the one place the loader's
// hostPath roots come from, so the three commands judge a manifest alike.
import { invalidRootsMessage, parseHostPathRoots } from '../manifest/host-paths.js';

/** The absolute roots of DSR_HOST_PATHS; throws a message saying how to fix a relative entry. */
export function hostPathRootsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const { roots, invalid } = parseHostPathRoots(env.DSR_HOST_PATHS);
  if (invalid.length > 0) throw new Error(invalidRootsMessage(invalid));
  return roots;
}

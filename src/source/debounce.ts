// Collapses a burst of file-system events into one call: a `git checkout` rewriting fifty files,
// or an editor saving ten times a second, must give one load of the manifests, not fifty.

/** A debounced trigger: `poke()` schedules `fn`; `flush()` runs it now if pending; `cancel()` drops it. */
export interface Debouncer {
  poke(): void;
  flush(): void;
  cancel(): void;
}

/**
 * Calls `fn` once `waitMs` have passed without a poke, but no later than `maxWaitMs` after the
 * first poke of a burst, so a never-ending trickle of writes still gets loaded.
 * Example: pokes at 0, 100, 200 ms with waitMs=300 call fn once, at 500 ms.
 */
export function debounce(fn: () => void, waitMs: number, maxWaitMs: number): Debouncer {
  let timer: NodeJS.Timeout | null = null;
  let firstPokeAt: number | null = null;
  const fire = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    firstPokeAt = null;
    fn();
  };
  return {
    poke() {
      const now = Date.now();
      firstPokeAt ??= now;
      if (timer) clearTimeout(timer);
      const delay = Math.max(0, Math.min(waitMs, firstPokeAt + maxWaitMs - now));
      timer = setTimeout(fire, delay);
    },
    flush() {
      if (timer) fire();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      firstPokeAt = null;
    },
  };
}

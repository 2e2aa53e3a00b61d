// A fixed-size pool of async workers, as `xargs -P8` is for processes: at most `limit` tasks run
// at once, in input order. After a failure no new task starts; the first error is rethrown once
// the tasks already running have finished, so nothing keeps running behind the caller's back.

/** Runs `task` on every item with at most `limit` at a time; rejects with the first error. */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

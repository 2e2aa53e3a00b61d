// Applies a plan's actions to Docker, one service at a time, and records each as an event.
// Removals go first (they free names and resources), then creations run in parallel. Every
// removal of a container that may be serving drains it (plan/drain.ts): the controller has already
// published routes without it; here its requests in flight finish (bounded), then SIGTERM with the
// grace period, then the container is removed.
import type { Runtime } from '../runtime/runtime.js';
import type { NewEvent } from '../events/types.js';
import type { Action, CreateAction, RemoveAction } from '../plan/actions.js';
import { drainStep, stopTimeoutSeconds } from '../plan/drain.js';

/** Raised when an action failed; carries the action so the pass can say which. */
export class ApplyError extends Error {
  constructor(
    readonly action: Action,
    options: { cause: unknown },
  ) {
    const target = action.type === 'create'
      ? `${action.service}/${action.version}#${action.instance.index}`
      : action.name;
    super(`${action.type} ${target}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'ApplyError';
  }
}

export interface ApplyContext {
  runtime: Runtime;
  /** Records an event; never throws (a failing event log must not turn a done action into a failed one). */
  record: (event: NewEvent) => Promise<void>;
  revision: string | null;
  /** Makes sure the image of a creation is present (pulling it if needed); throws when it cannot be had. */
  ensureImage: (action: CreateAction) => Promise<void>;
  /** Called after a failed instance that counts toward the replacement back-off was removed. */
  onFailureRemoved: (service: string, version: string) => void;
  /** Requests the gateway is running against a container right now. */
  inFlight: (containerId: string) => number;
  now: () => number;
  /** Aborted when DSR stops: a drain still waiting gives up and leaves the container for the next start. */
  signal?: AbortSignal;
}

/** Applies the actions; returns the errors of those that failed (the others still ran). */
export async function applyActions(actions: readonly Action[], ctx: ApplyContext): Promise<ApplyError[]> {
  const errors: ApplyError[] = [];
  // In parallel: each removal waits for its own requests, so two drains take as long as one.
  await Promise.all(
    actions.filter((a): a is RemoveAction => a.type === 'remove').map(async (action) => {
      try {
        await removeGracefully(action, ctx);
      } catch (cause) {
        errors.push(new ApplyError(action, { cause }));
      }
    }),
  );
  const creates = actions.filter((a): a is CreateAction => a.type === 'create');
  await Promise.all(
    creates.map(async (action) => {
      try {
        await ctx.ensureImage(action);
        const container = await ctx.runtime.create(action.instance);
        await ctx.record({
          kind: action.replacement ? 'instance.replaced' : 'instance.created',
          service: action.service,
          version: action.version,
          revision: ctx.revision,
          message: `started ${container.name} (${action.instance.template.image}): ${action.reason}`,
          data: { container: container.name, containerId: container.id, image: action.instance.template.image, reason: action.reason },
        });
      } catch (cause) {
        errors.push(new ApplyError(action, { cause }));
      }
    }),
  );
  return errors;
}

/** Drain (when it may be serving), SIGTERM with the grace period, remove; records the outcome. */
async function removeGracefully(action: RemoveAction, ctx: ApplyContext): Promise<void> {
  let drain: { waitedMs: number; cut: number; stopTimeoutSec: number } | null = null;
  if (action.gracePeriodMs !== null) {
    const started = ctx.now();
    const cut = await waitForRequests(action.containerId, action.gracePeriodMs, started, ctx);
    // DSR is stopping: the container keeps running, out of the routes; the next start drains it again.
    if (cut === null) return;
    const stopTimeoutSec = stopTimeoutSeconds(action.gracePeriodMs);
    drain = { waitedMs: ctx.now() - started, cut, stopTimeoutSec };
    await ctx.runtime.stop(action.containerId, stopTimeoutSec);
  }
  await ctx.runtime.remove(action.containerId);
  if (action.newIncident) ctx.onFailureRemoved(action.service, action.version);
  const cutNote = drain && drain.cut > 0 ? `; ${drain.cut} request(s) still in flight after ${drain.waitedMs} ms were cut` : '';
  await ctx.record({
    kind: action.failure ? 'instance.failed' : 'instance.removed',
    service: action.service,
    version: action.version,
    revision: ctx.revision,
    message: `removed ${action.name}: ${action.reason}${cutNote}`,
    data: { container: action.name, containerId: action.containerId, reason: action.reason, drain },
  });
}

/**
 * Waits until the gateway runs no request against the container, or the grace period is over.
 * Resolves with how many were still in flight (0: all finished), or null when DSR is stopping.
 */
async function waitForRequests(containerId: string, gracePeriodMs: number, startedAt: number, ctx: ApplyContext): Promise<number | null> {
  for (;;) {
    if (ctx.signal?.aborted) return null;
    const step = drainStep({ inFlight: ctx.inFlight(containerId), startedAt, gracePeriodMs, now: ctx.now() });
    if (step.kind === 'stop') return step.inFlight;
    await sleep(Math.max(1, step.wakeAt - ctx.now()), ctx.signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

// Applies a plan's actions to Docker, one service at a time, and records each as an event.
// Removals go first (they free names and resources), then creations run in parallel.
import type { Runtime } from '../docker/runtime.js';
import type { NewEvent } from '../events/types.js';
import type { Action, CreateAction, RemoveAction } from '../plan/actions.js';

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
}

/** Applies the actions; returns the errors of those that failed (the others still ran). */
export async function applyActions(actions: readonly Action[], ctx: ApplyContext): Promise<ApplyError[]> {
  const errors: ApplyError[] = [];
  for (const action of actions.filter((a): a is RemoveAction => a.type === 'remove')) {
    try {
      await ctx.runtime.remove(action.containerId);
      if (action.newIncident) ctx.onFailureRemoved(action.service, action.version);
      await ctx.record({
        kind: action.failure ? 'instance.failed' : 'instance.removed',
        service: action.service,
        version: action.version,
        revision: ctx.revision,
        message: `removed ${action.name}: ${action.reason}`,
        data: { container: action.name, containerId: action.containerId, reason: action.reason },
      });
    } catch (cause) {
      errors.push(new ApplyError(action, { cause }));
    }
  }
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
          message: `started ${container.name} (${action.instance.image}): ${action.reason}`,
          data: { container: container.name, containerId: container.id, image: action.instance.image, reason: action.reason },
        });
      } catch (cause) {
        errors.push(new ApplyError(action, { cause }));
      }
    }),
  );
  return errors;
}

// What a pass does with one service depends on one question asked once, at the start: what is
// this service to DSR right now? Pure: the reconciler (reconciler.ts) acts on the answer.
import { pruneBlockedReason, type PruneGuardInput } from '../plan/guard.js';

/**
 * The cases, first match wins:
 *   declared       a valid spec (or the last valid one of a broken file)  → step its rollout, plan, apply
 *   prune-blocked  not declared, but the folder cannot be trusted to say
 *                  so (unreadable files, or empty without --allow-empty)  → report once, touch nothing
 *   frozen         a broken file declares it and it has no valid past     → plan nothing for it: its
 *                                                                            containers and routes stay
 *   orphan         not declared, containers still run                     → plan their removal (drained)
 *   gone           not declared, nothing runs                             → forget its stored record if
 *                                                                            any, else what last ran
 */
export type ServiceCase =
  | { kind: 'declared' }
  | { kind: 'prune-blocked'; reason: string }
  | { kind: 'frozen' }
  | { kind: 'orphan' }
  | { kind: 'gone'; stored: boolean };

export interface ClassifyInput {
  /** Whether the desired state has a spec for the service. */
  declared: boolean;
  /** Whether a broken file declares it with no last valid spec. */
  frozen: boolean;
  /** The service's containers now, in any state. */
  containers: number;
  /** Whether the state store has a record of it. */
  stored: boolean;
  /** The folder as the prune guard sees it (asked only for a service that is not declared). */
  guard: PruneGuardInput;
}

/** Classifies one service for this pass. */
export function classifyService(input: ClassifyInput): ServiceCase {
  if (input.declared) return { kind: 'declared' };
  // The guard comes first: a frozen service is safe anyway, but the report says why nothing is pruned.
  const reason = pruneBlockedReason(input.guard);
  if (reason) return { kind: 'prune-blocked', reason };
  if (input.frozen) return { kind: 'frozen' };
  if (input.containers > 0) return { kind: 'orphan' };
  return { kind: 'gone', stored: input.stored };
}

// `dsr plan [DIR]`: what a pass would do now against the live Docker engine, without doing it.
// It runs the same loading code and the same planner as `dsr run`; instance health is not probed,
// so running containers count as healthy.
import { ManifestSource } from '../source/manifest-source.js';
import { loadManifests } from '../manifest/load.js';
import { formatManifestError } from '../manifest/desired.js';
import { mergeLoad } from '../controller/desired-state.js';
import { plan } from '../plan/plan.js';
import { pruneBlockedReason } from '../plan/guard.js';
import { desiredFromSpec } from '../plan/desired.js';
import { describeAction, type Action } from '../plan/actions.js';
import type { Runtime } from '../docker/runtime.js';
import { DockerRuntime, detectMode } from '../docker/docker-runtime.js';
import type { InstanceHealth } from '../health/thresholds.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface PlanOptions {
  source: 'git' | 'worktree' | 'auto';
  allowEmpty: boolean;
  json: boolean;
  /** For tests: the runtime to plan against (default: the local Docker engine). */
  runtime?: Runtime;
}

/** Prints the pending actions; exit 0 in sync, 3 changes pending, 1 invalid manifests or Docker unreachable. */
export async function planCommand(dir: string, opts: PlanOptions, out: Out): Promise<number> {
  let source: ManifestSource;
  try {
    source = await ManifestSource.open({ dir, mode: opts.source });
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
  const snapshot = await source.read().catch((error: Error) => error);
  if (snapshot instanceof Error) {
    out.stderr(snapshot.message);
    return 1;
  }
  if (snapshot.unavailable) {
    out.stderr(snapshot.unavailable);
    return 1;
  }
  const desired = mergeLoad(loadManifests(snapshot.files), snapshot.revision, new Map());
  const runtime = opts.runtime ?? new DockerRuntime({ mode: detectMode(), owner: process.env.DSR_OWNER || undefined });
  let observed;
  try {
    observed = await runtime.list();
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
  const blocked = pruneBlockedReason({
    declared: desired.services.size,
    unnamedFailures: desired.unnamedFailures,
    running: new Set(observed.map((c) => c.service)),
    known: new Set([...desired.services.keys(), ...desired.frozen]),
    allowEmpty: opts.allowEmpty,
  });
  const health = new Map<string, InstanceHealth>(observed.map((c) => [c.id, 'healthy']));
  const result = plan({
    services: [...desired.services.values()].map(desiredFromSpec),
    frozen: desired.frozen,
    observed,
    health,
    backoff: new Map(),
    prune: blocked === null,
    now: Date.now(),
  });
  const where = `${source.dir} (${snapshot.mode}${snapshot.revision ? ` at ${shortRevision(snapshot.revision)}` : ''})`;
  if (opts.json) {
    out.stdout(JSON.stringify({ revision: snapshot.revision, mode: snapshot.mode, actions: result.actions, pruneBlocked: blocked, errors: desired.errors }, null, 2));
  } else {
    for (const e of desired.errors) out.stderr(formatManifestError(e));
    if (blocked) out.stderr(`prune blocked: ${blocked}`);
    if (result.actions.length === 0) out.stdout(`in sync: ${desired.services.size} service(s) in ${where} match the running containers`);
    else {
      out.stdout(`${result.actions.length} change(s) pending for ${where}:`);
      for (const a of result.actions) out.stdout(`  ${symbol(a)} ${describeAction(a)}`);
    }
  }
  if (desired.errors.length > 0) return 1;
  return result.actions.length > 0 ? 3 : 0;
}

/** A commit id shortened as git does; a worktree digest is already short. */
export function shortRevision(revision: string): string {
  return revision.startsWith('worktree:') ? revision : revision.slice(0, 12);
}

function symbol(action: Action): string {
  return action.type === 'create' ? '+' : '-';
}

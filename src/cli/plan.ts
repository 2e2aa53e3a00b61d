// `dsr plan [DIR]`: what a pass would do now against the live Docker engine, without doing it.
// It runs the same loading code, the same version decision (versionsToRun, over the rollout state
// `dsr run` persisted in <data>/state.json, read-only) and the same planner as `dsr run`; instance
// health is not probed, so running containers count as healthy.
import { ManifestSource } from '../source/manifest-source.js';
import { upgradeStoredSpec } from '../manifest/stored-spec.js';
import { hostPathRootsFromEnv } from './host-paths-env.js';
import { loadManifests } from '../manifest/load.js';
import { formatManifestError } from '../manifest/service-spec.js';
import { mergeLoad } from '../controller/merge-load.js';
import { plan } from '../plan/plan.js';
import { pruneBlockedReason } from '../plan/guard.js';
import { describeAction, type Action } from '../plan/actions.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { Runtime } from '../runtime/runtime.js';
import { openRuntime, runtimeKind } from './open-runtime.js';
import type { InstanceHealth } from '../health/thresholds.js';
import { readStateSnapshot } from '../store/read-state.js';
import type { DsrState } from '../store/state.js';
import { rolloutStateFrom } from '../rollout/state.js';
import type { RolloutState } from '../rollout/types.js';
import { decide } from '../plan/decide.js';
import { healthyCounts, holdForDependencies } from '../plan/depends-on.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface PlanOptions {
  source: 'git' | 'worktree' | 'auto';
  allowEmpty: boolean;
  json: boolean;
  /** DSR's data folder: its state.json holds the rollout state `dsr run` acts on (never written here). */
  data: string;
  /** For tests: the runtime to plan against (default: the local Docker engine). */
  runtime?: Runtime;
}

/**
 * Prints the pending actions and rollouts; exit 0 in sync, 3 changes pending (container actions,
 * or a rollout starting, in progress or aborted), 1 invalid manifests or Docker unreachable.
 */
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
  let hostPathRoots: string[];
  try {
    hostPathRoots = hostPathRootsFromEnv(process.env);
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
  const saved = await readStateSnapshot(opts.data);
  const desired = mergeLoad(loadManifests(snapshot.files, { hostPathRoots }), snapshot.revision, lastValidSpecs(saved.state));
  const runtime = opts.runtime ?? openRuntime(runtimeKind(process.env['DSR_RUNTIME'])).runtime;
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
  const services = [...desired.services.values()].map((spec) => decide(spec, rolloutStateOf(saved.state, spec), observed));
  const rollouts = services.flatMap((s) => (s.rollout ? [{ service: s.desired.name, note: s.rollout }] : []));
  const planned = plan({
    services: services.map((s) => s.desired),
    frozen: desired.frozen,
    observed,
    health,
    backoff: new Map(),
    prune: blocked === null,
    now: Date.now(),
  });
  // The start order `dsr run` applies, with running counted as healthy (nothing is probed here).
  const gated = holdForDependencies(planned.actions, (name) => desired.services.get(name)?.dependsOn ?? [], healthyCounts(observed, undefined));
  const result = { ...planned, actions: gated.actions };
  const where = `${source.dir} (${snapshot.mode}${snapshot.revision ? ` at ${shortRevision(snapshot.revision)}` : ''})`;
  const pending = result.actions.length + rollouts.length + gated.held.length;
  if (opts.json) {
    out.stdout(JSON.stringify({ revision: snapshot.revision, mode: snapshot.mode, state: saved.note ? null : saved.file, rollouts, actions: result.actions, waiting: gated.held, pruneBlocked: blocked, errors: desired.errors }, null, 2));
  } else {
    if (saved.note && observed.length > 0) out.stderr(saved.note);
    for (const e of desired.errors) out.stderr(formatManifestError(e));
    if (blocked) out.stderr(`prune blocked: ${blocked}`);
    if (pending === 0) out.stdout(`in sync: ${desired.services.size} service(s) in ${where} match the running containers`);
    else {
      out.stdout(`${pending} change(s) pending for ${where}:`);
      for (const r of rollouts) out.stdout(`  ~ ${r.service}: ${r.note}`);
      for (const w of gated.held) out.stdout(`  ~ ${w.service}: ${w.message} (${w.held} new instance(s) held)`);
      for (const a of result.actions) out.stdout(`  ${symbol(a)} ${describeAction(a)}`);
    }
  }
  if (desired.errors.length > 0) return 1;
  return pending > 0 ? 3 : 0;
}

/** The persisted rollout state of a service; empty when none (or not DSR's shape). */
function rolloutStateOf(state: DsrState, service: ServiceSpec): RolloutState {
  return rolloutStateFrom(state.services[service.name]?.rollout, service);
}

/** The last valid specs `dsr run` keeps, so a broken file plans as it runs (its last valid state). */
function lastValidSpecs(state: DsrState): Map<string, ServiceSpec> {
  const specs = new Map<string, ServiceSpec>();
  for (const [name, entry] of Object.entries(state.services)) if (entry.spec) specs.set(name, upgradeStoredSpec(entry.spec));
  return specs;
}

/** A commit id shortened as git does; a worktree digest is already short. */
export function shortRevision(revision: string): string {
  return revision.startsWith('worktree:') ? revision : revision.slice(0, 12);
}

function symbol(action: Action): string {
  return action.type === 'create' ? '+' : '-';
}

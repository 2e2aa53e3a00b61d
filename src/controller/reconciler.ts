// One pass for one service, given the container list the shell observed: classify the service
// once (classify.ts), then act on that case: step its rollout, plan (pure), drain and apply the
// actions, record what happened, and mark the revision applied once the service is healthy.
import type { Runtime, ObservedContainer } from '../runtime/runtime.js';
import type { InstanceHealth } from '../health/thresholds.js';
import type { Prober } from '../health/prober.js';
import { recordFailure, settle } from '../health/backoff.js';
import { plan, backoffKey } from '../plan/plan.js';
import { describeAction, type Action } from '../plan/actions.js';
import { healthyCounts, holdForDependencies } from '../plan/depends-on.js';
import type { DesiredService } from '../plan/wanted.js';
import type { PassResult } from './work-queue.js';
import { ApplyError, applyActions } from './apply.js';
import type { ImagePuller } from './image-puller.js';
import { NO_TRAFFIC, rolloutPass, type TrafficView } from './rollouts.js';
import { addHistory, versionsOf, type HistoryEntry } from './history.js';
import { actionKey, specFingerprint, terminalAdvice } from './terminal.js';
import { classifyService } from './classify.js';
import type { LiveState } from './live-state.js';
import type { OperatorCommands } from './operator-commands.js';
import type { ReadModel } from './read-model.js';
import type { Recorder } from './recorder.js';
import type { ServiceRecords } from './service-records.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { SecretFolder, SecretProblem } from '../secrets/folder.js';

/** What one reconcile pass did: its key (a service, or `*` for discovery), its Docker actions, whether it failed. */
export interface PassReport {
  key: string;
  durationMs: number;
  actions: Array<{ type: Action['type']; failed: boolean }>;
  error: Error | null;
}

export interface ReconcilerDeps {
  runtime: Runtime;
  live: LiveState;
  records: ServiceRecords;
  recorder: Recorder;
  prober: Prober;
  puller: ImagePuller;
  commands: OperatorCommands;
  readModel: ReadModel;
  /** The gateway's traffic, judged by canary analysis (absent: none). */
  traffic: TrafficView | undefined;
  /** The gateway's requests in flight on an instance: a removal waits for them (drain). */
  inFlight: (instanceId: string) => number;
  allowEmpty: boolean;
  /** Publishes the route table from the live state. */
  publishRoutes: () => void;
  /** The shell's cached container list is stale (DSR is about to change containers). */
  invalidateList: () => void;
  /** Aborted when DSR stops: drains still waiting give up (the next start drains those instances again). */
  signal: AbortSignal;
  now: () => number;
  log: (message: string) => void;
  /** The secrets folder (DSR_SECRETS); null: a service with `secrets` is held with that reason. */
  secrets: SecretFolder | null;
}

/** How often a service waiting for a dependency looks again (the dependency's health changes queue only itself). */
const DEPENDENCY_RECHECK_MS = 500;

/** How often a service with secrets reads the folder again: a fixed file resumes it, a changed one rolls it out, within this. */
const SECRET_RECHECK_MS = 2000;

/** The start of the status issue of a service held by its secrets. */
const SECRET_HOLD = 'held until its secrets can be read: ';

/** Reconciles one service per call. */
export class ServiceReconciler {
  /** Per service, how many secret holds have ended: each hold reports its problems once. */
  private readonly secretHolds = new Map<string, number>();

  constructor(private readonly deps: ReconcilerDeps) {}

  /** One pass for `name`; `release` hands the worker slot back while removals drain. */
  async reconcile(name: string, observed: ObservedContainer[], report: PassReport, release: () => void): Promise<PassResult> {
    const { live, records, recorder } = this.deps;
    const desiredState = live.desired;
    const declared = desiredState.services.get(name);
    // Secrets are read every pass: a held service resumes as soon as its file is fixed, and a
    // changed file changes the template's digest, so the service rolls out like any change.
    const spec = declared ? await this.withSecrets(name, declared) : undefined;
    if (spec === null) return { requeueAfterMs: SECRET_RECHECK_MS };
    const mine = observed.filter((c) => c.service === name);
    const found = classifyService({
      declared: Boolean(spec),
      frozen: desiredState.frozen.has(name),
      containers: mine.length,
      stored: records.has(name),
      guard: {
        declared: desiredState.services.size,
        unnamedFailures: desiredState.unnamedFailures,
        running: new Set(observed.map((c) => c.service)),
        known: new Set([...desiredState.services.keys(), ...desiredState.frozen]),
        allowEmpty: this.deps.allowEmpty,
      },
    });
    if (found.kind === 'prune-blocked') {
      await recorder.reportOnce(`prune:${desiredState.revision}:${found.reason}`, { kind: 'prune.blocked', service: name, revision: desiredState.revision, message: found.reason });
      return {};
    }
    if (found.kind === 'gone' && found.stored) {
      // Removed for good: forget its stable version and last spec, so a service re-added later
      // under the same name starts fresh instead of reviving an old version.
      await records.forget(name);
      return {};
    }
    const now = this.deps.now();
    for (const [k, b] of live.backoff) {
      if (!settle(b, now)) live.backoff.delete(k);
    }
    let desired: DesiredService | null = null;
    let requeueRollout: number | null = null;
    if (spec) {
      const pending = this.deps.commands.take(name);
      try {
        const pass = await rolloutPass({
          spec, revision: live.desired.revision, observed: mine, health: this.healthMap(),
          judged: (id) => (this.deps.prober.get(id)?.lastProbeAt ?? null) !== null,
          traffic: this.deps.traffic ?? NO_TRAFFIC, command: pending?.command ?? null, now,
          records, record: (e) => recorder.record(e),
        });
        desired = pass.desired;
        requeueRollout = pass.result.requeueAfterMs;
        live.effective.set(name, { desired, summary: pass.result.summary });
        pending?.done(null);
      } catch (error) {
        pending?.done(error as Error);
        throw error;
      }
      this.deps.publishRoutes();
    } else if (found.kind === 'gone') {
      // Gone for good: forget what ran. A frozen or prune-blocked service keeps its last routes.
      live.effective.delete(name);
      live.waitingOn.delete(name);
    }
    const result = plan({
      services: desired ? [desired] : [],
      frozen: live.desired.frozen,
      observed: mine,
      health: this.healthMap(),
      backoff: live.backoff,
      prune: true,
      pruneGracePeriodMs: (records.lastValidSpec(name) as { stopGracePeriodMs?: number } | null)?.stopGracePeriodMs,
      now,
    });
    for (const w of result.waiting) {
      await recorder.reportOnce(`backoff:${w.service}/${w.version}:${w.until}`, {
        kind: 'instance.backoff', service: w.service, version: w.version, revision: live.desired.revision,
        message: `${w.reason}; next attempt in ${Math.ceil((w.until - now) / 1000)}s`,
        data: { until: new Date(w.until).toISOString(), failures: live.backoff.get(backoffKey(w.service, w.version))?.failures ?? 0 },
      });
    }
    // An action stopped on a terminal error is not retried: only a person can fix it.
    const fingerprint = specFingerprint(spec ?? null);
    const stopped = live.blocks.current(name, fingerprint);
    const actions = await this.holdForDependencies(name, spec?.dependsOn ?? [], result.actions.filter((a) => !stopped.has(actionKey(a))), observed);
    const waitingOnDependency = live.waitingOn.has(name);
    if (actions.length > 0) {
      await this.apply(name, actions, fingerprint, report, release);
      return { requeueAfterMs: Math.min(1000, requeueRollout ?? 1000) };
    }
    live.issues.delete(name);
    if (spec && result.waiting.length === 0 && this.deps.readModel.status(name)?.phase === 'Healthy') await this.markApplied(name);
    // Health changes of another service queue only that service: look again for the one waiting on it.
    // Nothing announces a change in the secrets folder: a service with secrets reads it again soon.
    const secretsAt = (spec?.secrets.length ?? 0) > 0 ? now + SECRET_RECHECK_MS : Infinity;
    const wakeAt = Math.min(...result.waiting.map((w) => w.until), requeueRollout === null ? Infinity : now + requeueRollout, waitingOnDependency ? now + DEPENDENCY_RECHECK_MS : Infinity, secretsAt);
    return Number.isFinite(wakeAt) ? { requeueAfterMs: Math.max(100, wakeAt - now) } : {};
  }

  /**
   * The spec with its secrets' digests (SPEC §8), also put into the live desired state so status
   * and routes compute the same template; or null when a secret file is missing, unreadable or
   * invalid: the service is held (nothing created or removed, its running instances kept), with
   * one event per distinct problem naming the file to fix, and status Degraded until then.
   */
  private async withSecrets(name: string, spec: ServiceSpec): Promise<ServiceSpec | null> {
    if (spec.secrets.length === 0) return spec;
    const { live, recorder } = this.deps;
    let problems: SecretProblem[];
    if (!this.deps.secrets) {
      problems = [{ kind: 'secret.unreadable', name: spec.secrets[0]!, path: '', message: 'this DSR runs without a secrets folder: start it with DSR_SECRETS or a data folder' }];
    } else {
      try {
        const resolved = await this.deps.secrets.resolve(spec.secrets);
        if (resolved.ok) {
          const enriched: ServiceSpec = { ...spec, secretDigests: resolved.digests };
          if (live.desired.services.get(name) === spec) live.desired.services.set(name, enriched);
          if (live.issues.get(name)?.startsWith(SECRET_HOLD)) {
            live.issues.delete(name);
            // A new hold episode: the same problem coming back later is reported again.
            this.secretHolds.set(name, (this.secretHolds.get(name) ?? 0) + 1);
            await recorder.record({ kind: 'secret.resolved', service: name, revision: live.desired.revision, message: `${name} resumes: its secret file(s) ${spec.secrets.join(', ')} can be read`, data: { secrets: [...spec.secrets] } });
          }
          return enriched;
        }
        problems = resolved.problems;
      } catch (error) {
        // The folder or its digest key cannot be used (fs errors name paths, never contents).
        problems = [{ kind: 'secret.unreadable', name: spec.secrets[0]!, path: this.deps.secrets.dir, message: `the secrets folder cannot be used: ${(error as Error).message}` }];
      }
    }
    for (const p of problems) {
      await recorder.reportOnce(`secret:${name}:${this.secretHolds.get(name) ?? 0}:${p.kind}:${p.path}:${p.message}`, {
        kind: p.kind, service: name, revision: live.desired.revision,
        message: `${name} held: ${p.message}; its running instances are kept, nothing is created or removed until then`,
        data: { secret: p.name, path: p.path },
      });
    }
    live.issues.set(name, `${SECRET_HOLD}${problems.map((p) => p.message).join('; ')}`);
    return null;
  }

  /**
   * Holds the service's creations while a service it depends on has no healthy instance (see
   * plan/depends-on.ts), recording when it starts waiting and when it proceeds.
   */
  private async holdForDependencies(name: string, dependsOn: readonly string[], actions: Action[], observed: ObservedContainer[]): Promise<Action[]> {
    const { live, recorder } = this.deps;
    const { actions: allowed, held } = holdForDependencies(actions, () => dependsOn, healthyCounts(observed, this.healthMap(), live.leaving));
    const waiting = held[0];
    const before = live.waitingOn.get(name);
    if (waiting) {
      live.waitingOn.set(name, waiting.message);
      if (before !== waiting.message) {
        await recorder.record({
          kind: 'dependency.waiting', service: name, revision: live.desired.revision,
          message: `${name} ${waiting.message}; ${waiting.held} new instance(s) held until then`,
          data: { waitingFor: waiting.waitingFor, held: waiting.held },
        });
      }
    } else if (before !== undefined) {
      live.waitingOn.delete(name);
      await recorder.record({
        kind: 'dependency.ready', service: name, revision: live.desired.revision,
        message: `${name} proceeds: ${dependsOn.join(', ')} ${dependsOn.length === 1 ? 'has' : 'have'} a healthy instance`,
        data: { dependsOn: [...dependsOn] },
      });
    }
    return allowed;
  }

  /** Drains and applies the planned actions; throws the first retryable failure (the queue retries with back-off). */
  private async apply(name: string, actions: Action[], fingerprint: string, report: PassReport, release: () => void): Promise<void> {
    const { live, recorder } = this.deps;
    this.deps.log(`${name}: ${actions.map(describeAction).join('; ')}`);
    const failedVersions = new Set<string>();
    this.deps.invalidateList();
    const removals = actions.filter((a) => a.type === 'remove');
    // Out of the routes before anything waits or stops: no new request reaches a leaving instance.
    for (const a of removals) live.leaving.add(a.containerId);
    if (removals.length > 0) this.deps.publishRoutes();
    // A drain mostly waits: other services' passes may use the worker slot meanwhile (this key stays busy).
    if (removals.some((a) => a.gracePeriodMs !== null)) release();
    const outcome = await applyActions(actions, {
      runtime: this.deps.runtime,
      record: (e) => recorder.record(e),
      revision: live.desired.revision,
      ensureImage: (action) => this.deps.puller.ensure(action.instance.template.image, action.service, action.version, live.desired.revision),
      onFailureRemoved: (service, version) => failedVersions.add(backoffKey(service, version)),
      inFlight: this.deps.inFlight,
      now: this.deps.now,
      signal: this.deps.signal,
    });
    const failed = new Set(outcome.map((e) => e.action));
    // A removal that failed may still be wanted by the next plan; one that succeeded is gone, so
    // drop it from what this process believes runs (the prober and the routes read that).
    for (const a of removals) {
      if (failed.has(a)) live.leaving.delete(a.containerId);
    }
    const removed = new Set(removals.filter((a) => !failed.has(a)).map((a) => a.containerId));
    if (removed.size > 0) live.observed = live.observed.filter((c) => !removed.has(c.id));
    report.actions = actions.map((a) => ({ type: a.type, failed: failed.has(a) }));
    const errors: ApplyError[] = [];
    for (const error of outcome) {
      const advice = terminalAdvice(error, name);
      if (!advice) errors.push(error);
      else if (live.blocks.add(name, fingerprint, actionKey(error.action), advice)) {
        // One event per blocked action: it is not retried, so it cannot repeat until a person acts.
        await recorder.record({
          kind: 'reconcile.blocked', service: name, version: error.action.version, revision: live.desired.revision,
          message: `${describeAction(error.action)} stopped: ${advice}`,
          data: { action: actionKey(error.action), error: error.message, advice },
        });
      }
    }
    // One failure per version per pass: instances lost together (a `docker stop` of all of
    // them) are one incident, not a crash loop, and are all replaced at once.
    for (const k of failedVersions) live.backoff.set(k, recordFailure(live.backoff.get(k), this.deps.now()));
    if (errors.length > 0) {
      const message = errors.map((e) => e.message).join('; ');
      live.issues.set(name, message);
      await recorder.reportOnce(`apply:${name}:${message}`, { kind: 'reconcile.error', service: name, revision: live.desired.revision, message, data: { errors: errors.map((e) => e.message) } });
      throw errors[0]!;
    }
    live.issues.delete(name);
  }

  private healthMap(): Map<string, InstanceHealth> {
    const map = new Map<string, InstanceHealth>();
    for (const [id, state] of this.deps.prober.snapshot()) map.set(id, state.health);
    return map;
  }

  /** Records the revision a healthy service runs (its history entry, `service.synced`, a completed rollback). */
  private async markApplied(name: string): Promise<void> {
    const { live, records, recorder } = this.deps;
    const pin = records.pin(name);
    // While pinned, the service runs an earlier revision's manifest: that is what it applied.
    const revision = pin ? pin.revision : live.desired.revision;
    const previous = records.appliedRevision(name);
    const spec = live.desired.services.get(name);
    const aborted = spec !== undefined && records.rollout(spec).rollout?.phase === 'Aborted';
    const entry: HistoryEntry | null = spec ? {
      revision, at: new Date(this.deps.now()).toISOString(), versions: versionsOf(pin ? pin.spec : spec),
      result: pin ? 'rolled back' : aborted ? 'aborted' : 'rolled out', spec: pin ? pin.spec : spec,
    } : null;
    const history = records.history(name);
    const nextHistory = entry ? addHistory(history, entry) : history;
    if (previous === revision && nextHistory.at(-1) === history.at(-1)) return;
    await records.saveApplied(name, revision, new Date(this.deps.now()).toISOString(), nextHistory);
    if (pin && previous !== revision) {
      await recorder.record({ kind: 'rollback.completed', service: name, revision, message: `${name} rolled back to ${revision ?? 'the pinned manifest'} (${entry?.versions.join(', ')}); pinned until dsr unpin ${name} or a commit that changes its manifest` });
    }
    if (previous !== revision) await recorder.record({ kind: 'service.synced', service: name, revision, message: `${name} is in sync with ${revision ?? 'the manifests'}${pin ? ' (pinned by a rollback)' : ''}` });
  }
}

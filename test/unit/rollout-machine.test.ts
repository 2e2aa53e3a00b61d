import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import { readFileSync } from 'node:fs';
import { loadManifests } from '../../src/manifest/load.js';
import { stepRollout } from '../../src/rollout/machine.js';
import { commandRejection } from '../../src/rollout/commands.js';
import { versionId, trackVersion } from '../../src/rollout/versions.js';
import { DRAIN_POLL_MS, DRAIN_TIMEOUT_MS } from '../../src/rollout/steps.js';
import { versionHash } from '../../src/plan/wanted.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_ROLLOUT_STEPS } from '../../src/manifest/defaults.js';
import type { AnalysisSpec, RolloutStep, ServiceSpec, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutCommand, RolloutState, RolloutStatus, StepResult, TrackedVersion, Verdict, WindowSample } from '../../src/rollout/types.js';

const T0 = 1_000_000;
const S = 1_000;

// The SPEC §1 example: 10%, 30 s, 50%, until promoted, 100%.
const STEPS: RolloutStep[] = [
  { kind: 'setWeight', weight: 10 },
  { kind: 'pause', durationMs: 30 * S },
  { kind: 'setWeight', weight: 50 },
  { kind: 'pause', durationMs: null },
  { kind: 'setWeight', weight: 100 },
];

function version(name: string, image: string, replicas: number, weight = 100): VersionSpec {
  return { name, image, replicas, weight, env: {}, command: null };
}

function service(versions: VersionSpec[], analysis: Partial<AnalysisSpec> = {}, steps: RolloutStep[] = STEPS): ServiceSpec {
  return {
    name: 'web',
    port: 80,
    health: { ...DEFAULT_HEALTH }, ...STACK_FIELDS_ABSENT,
    versions,
    rollout: { steps, analysis: { ...DEFAULT_ANALYSIS, ...analysis }, progressDeadlineMs: 120 * S },
    gateway: { ...DEFAULT_GATEWAY },
    stopGracePeriodMs: 10 * S,
    source: { file: 'web.yaml', line: 1, column: 1 },
  };
}

const V1 = version('v1', 'app:1', 2);
const V2 = version('v2', 'app:2', 1);
const V3 = version('v3', 'app:3', 1);
const V1B = version('v1', 'app:1b', 2);
const PORT = { port: 80, ...STACK_FIELDS_ABSENT };
const STABLE: TrackedVersion = trackVersion(PORT, V1, null);
const CANARY: TrackedVersion = trackVersion(PORT, V2, 'v1');
const V1B_ID = `v1-${versionHash(PORT, V1B).slice(0, 6)}`;

function rollout(over: Partial<RolloutStatus> = {}): RolloutStatus {
  return {
    phase: 'Progressing',
    revision: 'r2',
    canary: CANARY,
    stepIndex: 0,
    weight: 0,
    startedAt: T0,
    stepStartedAt: T0,
    pausedByUser: false,
    analysis: { lastCheckAt: T0, windowFrom: T0, failures: 0, history: [] },
    abortReason: null,
    promotedStep: null,
    ...over,
  };
}

function at(stepIndex: number, weight: number, over: Partial<RolloutStatus> = {}): RolloutState {
  return { stable: STABLE, rollout: rollout({ stepIndex, weight, ...over }) };
}

const GOOD: WindowSample = { requests: 100, errors: 0, latencyP99Ms: 50 };
const BAD: WindowSample = { requests: 100, errors: 10, latencyP99Ms: 50 };
const SPARSE: WindowSample = { requests: 3, errors: 0, latencyP99Ms: 50 };
const PASSED: Verdict = { at: T0 + 10 * S, result: 'pass', requests: 100, errorRate: 0, latencyP99Ms: 50, reason: 'ok' };

interface World {
  ready: Record<string, number>;
  /** Running instances no health check of this process has judged yet. */
  unjudged: Record<string, number>;
  samples: Record<string, WindowSample>;
  inFlight: Record<string, number>;
  /** Overrides `samples` when the window matters. */
  sample: (id: string, from: number, to: number) => WindowSample;
}

function run(svc: ServiceSpec, state: RolloutState, now: number, world: Partial<World> = {}, command: RolloutCommand | null = null): StepResult {
  const ready = world.ready ?? {};
  const samples = world.samples ?? {};
  const inFlight = world.inFlight ?? {};
  return stepRollout({
    service: svc,
    revision: 'r2',
    state,
    ready: (id) => ready[id] ?? 9,
    unjudged: (id) => world.unjudged?.[id] ?? 0,
    sample: world.sample ?? ((id) => samples[id] ?? GOOD),
    inFlight: (id) => inFlight[id] ?? 0,
    command,
    now,
  });
}

/** `v1:90%x2`: id, weight, replicas. */
function render(r: StepResult): string[] {
  return r.versions.map((v) => `${v.name}:${v.weight}%x${v.replicas}`);
}

interface Case {
  name: string;
  svc: ServiceSpec;
  state: RolloutState;
  now?: number;
  world?: Partial<World>;
  command?: RolloutCommand;
  versions: string[];
  events: string[];
  /** Expected phase, or null for no rollout. */
  phase: RolloutStatus['phase'] | null;
  stable?: string | null;
  step?: number;
  weight?: number;
  summary?: string | RegExp;
  requeue?: number | null;
  check?: (r: StepResult) => void;
}

const EMPTY: RolloutState = { stable: null, rollout: null };
const STEADY: RolloutState = { stable: STABLE, rollout: null };
const CANARY_DOWN = { ready: { v2: 0 } };

/** An inconclusive verdict of the window that opened at `from`, recorded at `at`. */
function waited(at: number, requests = 3): Verdict {
  return { at, result: 'inconclusive', requests, errorRate: 0, latencyP99Ms: 50, reason: `waiting for traffic: needs ≥ 20 requests to v2 in a window; seen ${requests} in the last 10s` };
}

/** A rollout at step 1 (setWeight 10) whose window opened at T0 and was last checked at `checked`, inconclusive. */
function waiting(checked: number, over: Partial<RolloutStatus> = {}): RolloutState {
  return at(0, 10, { analysis: { lastCheckAt: checked, windowFrom: T0, failures: 0, history: [waited(checked)] }, ...over });
}

/** Low traffic (issue 10): a step holds, checks judge the whole open window, nothing aborts unless asked. */
function waitingForTraffic(): Case[] {
  const froms: number[] = [];
  const recording = (result: WindowSample) => (id: string, from: number): WindowSample => {
    if (id === 'v2') froms.push(from);
    return result;
  };
  return [
    {
      name: 'the next check judges everything since the window opened and passes once minRequests accumulated',
      svc: service([V2]), state: waiting(T0 + 10 * S), now: T0 + 20 * S,
      world: { sample: (id, from) => (id === 'v2' && from === T0 ? { requests: 21, errors: 0, latencyP99Ms: 50 } : SPARSE) },
      versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.pass', 'rollout.step'], phase: 'Progressing', step: 1,
      check: (r) => {
        const a = r.state.rollout!.analysis;
        assert.deepEqual(a.history.map((v) => [v.result, v.requests]), [['pass', 21]], 'one verdict per window: the pass replaces its inconclusive check');
        assert.equal(a.windowFrom, T0 + 20 * S, 'a verdict opens a new window');
        assert.equal(r.events[0]?.data.fromMs, T0);
      },
    },
    {
      name: 'a later inconclusive check of the same wait updates the status without another event',
      svc: service([V2]), state: waiting(T0 + 10 * S), now: T0 + 20 * S, world: { samples: { v2: { ...SPARSE, requests: 7 } } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 0,
      summary: 'step 1/5: setWeight 10, waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 7 in the last 20s',
      check: (r) => assert.deepEqual(r.state.rollout!.analysis.history.map((v) => [v.at, v.requests]), [[T0 + 20 * S, 7]]),
    },
    {
      name: 'a failing window still fails, however long it took to fill',
      svc: service([V2]), state: waiting(T0 + 10 * S), now: T0 + 20 * S, world: { samples: { v2: BAD } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.fail'], phase: 'Progressing', step: 0,
      check: (r) => {
        assert.equal(r.state.rollout?.analysis.failures, 1);
        assert.equal(r.state.rollout?.analysis.windowFrom, T0 + 20 * S);
      },
    },
    {
      name: 'a failing window at failureLimit aborts',
      svc: service([V2], { failureLimit: 1 }), state: waiting(T0 + 10 * S), now: T0 + 20 * S, world: { samples: { v2: BAD } },
      versions: ['v1:100%x2'], events: ['analysis.fail', 'rollout.aborted'], phase: 'Aborted',
    },
    {
      name: 'a step waiting for traffic is not aborted at progressDeadline (it bounds health only)',
      svc: service([V2]), state: waiting(T0 + 290 * S), now: T0 + 300 * S, world: { samples: { v2: SPARSE } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 0, requeue: 10_000,
    },
    {
      name: 'inconclusiveDeadline aborts a step still waiting for traffic that long after its window opened',
      svc: service([V2], { inconclusiveDeadlineMs: 60 * S }), state: waiting(T0 + 50 * S), now: T0 + 60 * S, world: { samples: { v2: SPARSE } },
      versions: ['v1:100%x2'], events: ['rollout.aborted'], phase: 'Aborted',
      check: (r) => assert.equal(r.state.rollout?.abortReason, 'step 1/5: setWeight 10 waited 60s for traffic (inconclusiveDeadline 60s): waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 3 in the last 60s'),
    },
    {
      name: 'inconclusiveDeadline does not abort before it is reached',
      svc: service([V2], { inconclusiveDeadlineMs: 60 * S }), state: waiting(T0 + 40 * S), now: T0 + 50 * S, world: { samples: { v2: SPARSE } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing',
    },
    {
      name: 'inconclusiveDeadline does not abort a step paused by the user',
      svc: service([V2], { inconclusiveDeadlineMs: 60 * S }), state: waiting(T0 + 50 * S, { phase: 'Paused', pausedByUser: true }), now: T0 + 60 * S,
      world: { samples: { v2: SPARSE } }, versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Paused',
    },
    {
      name: 'an inconclusive check during a timed pause is not announced as a wait',
      svc: service([V2]), state: at(1, 10), now: T0 + 10 * S, world: { samples: { v2: SPARSE } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 1, summary: 'step 2/5: pause 30s, 20s left',
    },
    {
      name: 'after a resume the wait is announced again, once',
      svc: service([V2]), state: waiting(T0 + 10 * S, { stepStartedAt: T0 + 15 * S }), now: T0 + 20 * S, world: { samples: { v2: SPARSE } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.inconclusive'], phase: 'Progressing',
    },
    {
      name: 'a window open longer than the metrics keep is judged on its last 600s, and says so',
      svc: service([V2]), state: waiting(T0 + 690 * S), now: T0 + 700 * S, world: { sample: recording(SPARSE) },
      versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing',
      summary: 'step 1/5: setWeight 10, waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 3 in the last 600s, the longest window judged: a verdict needs more traffic than this',
      check: () => assert.equal(froms.at(-1), T0 + 100 * S),
    },
    {
      name: 'a verdict on a window longer than the metrics keep names the part it judged',
      svc: service([V2]), state: waiting(T0 + 690 * S), now: T0 + 700 * S, world: { samples: { v2: GOOD } },
      versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.pass', 'rollout.step'], phase: 'Progressing', step: 1,
      check: (r) => assert.equal(r.state.rollout?.analysis.history.at(-1)?.reason, 'error rate 0.0%, p99 50ms over 100 requests (judged on the last 600s: older traffic is not kept)'),
    },
    {
      name: 'a state saved before windows stayed open judges from its last check',
      svc: service([V2]), state: at(0, 10, { analysis: { lastCheckAt: T0 + 10 * S, failures: 0, history: [] } }), now: T0 + 20 * S,
      world: { sample: recording(SPARSE) }, versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.inconclusive'], phase: 'Progressing',
      check: (r) => {
        assert.equal(froms.at(-1), T0 + 10 * S);
        assert.equal(r.state.rollout?.analysis.windowFrom, T0 + 10 * S);
      },
    },
  ];
}

const cases: Case[] = [
  // Manifest vs. stable.
  {
    name: 'first deploy makes the single version the stable at 100%',
    svc: service([V1]), state: EMPTY, versions: ['v1:100%x2'], events: [], phase: null, stable: 'v1', requeue: null,
    summary: 'stable v1: 2 replicas',
  },
  {
    name: 'with no state, instances running under the hashed id are adopted, not replaced',
    svc: service([V1B]), state: EMPTY, world: { ready: { v1: 0, [V1B_ID]: 2 } },
    versions: [`${V1B_ID}:100%x2`], events: [], phase: null, stable: V1B_ID,
  },
  {
    name: 'an unchanged manifest is steady',
    svc: service([V1]), state: STEADY, versions: ['v1:100%x2'], events: [], phase: null, stable: 'v1', requeue: null,
  },
  {
    name: 'a replicas-only change scales the stable in place',
    svc: service([version('v1', 'app:1', 5)]), state: STEADY, versions: ['v1:100%x5'], events: [], phase: null, stable: 'v1',
    check: (r) => assert.equal(r.state.stable?.spec.replicas, 5),
  },
  {
    name: 'a new version name starts a rollout that waits for healthy canary instances',
    svc: service([V2]), state: STEADY, world: CANARY_DOWN,
    versions: ['v1:100%x2', 'v2:0%x1'], events: ['rollout.started'], phase: 'Progressing', step: 0, weight: 0,
    summary: 'step 1/5: setWeight 10, waiting for healthy instances: 0 of 1 ready', requeue: 1_000,
    check: (r) => assert.equal(r.state.rollout?.revision, 'r2'),
  },
  {
    name: 'the same name with a changed image gets an id with the spec hash',
    svc: service([V1B]), state: STEADY, world: { ready: { [V1B_ID]: 0 } },
    versions: ['v1:100%x2', `${V1B_ID}:0%x2`], events: ['rollout.started'], phase: 'Progressing',
    check: (r) => {
      assert.match(V1B_ID, /^v1-[0-9a-f]{6}$/);
      assert.deepEqual({ id: r.state.rollout?.canary.id, name: r.state.rollout?.canary.name }, { id: V1B_ID, name: 'v1' });
    },
  },
  {
    name: 'a canary healthy at once gets the first weight in the same pass',
    svc: service([V2]), state: STEADY,
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.started', 'rollout.weight'], phase: 'Progressing', step: 0, weight: 10,
    summary: 'step 1/5: setWeight 10, waiting for analysis (next check in 10s)', requeue: 10_000,
  },
  // Gate 1 and deadlines.
  {
    name: 'a canary not yet healthy holds the first step before the deadline',
    svc: service([V2]), state: at(0, 0), now: T0 + 60 * S, world: { ready: { v2: 0 } },
    versions: ['v1:100%x2', 'v2:0%x1'], events: [], phase: 'Progressing', step: 0, weight: 0, requeue: 1_000,
  },
  {
    name: 'a canary not healthy by progressDeadline aborts',
    svc: service([V2]), state: at(0, 0), now: T0 + 120 * S, world: CANARY_DOWN,
    versions: ['v1:100%x2'], events: ['rollout.aborted'], phase: 'Aborted', weight: 0, requeue: null,
    summary: 'aborted: new instances not healthy within 120s (v2: 0 of 1 ready) (dsr retry to try again)',
  },
  {
    name: 'a canary whose instances a restarted DSR has not judged yet holds past progressDeadline instead of aborting',
    svc: service([V2]), state: at(1, 10, { stepStartedAt: T0, analysis: { lastCheckAt: T0 + 599 * S, windowFrom: T0, failures: 0, history: [] } }),
    now: T0 + 600 * S, world: { ready: { v2: 0 }, unjudged: { v2: 1 } },
    versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 1, weight: 10, requeue: 1_000,
    summary: /waiting for the first health check of 1 instance/,
  },
  {
    name: 'a canary judged not healthy past progressDeadline still aborts when another instance is unjudged',
    svc: service([{ ...V2, replicas: 2 }]), state: at(0, 0), now: T0 + 120 * S, world: { ready: { v2: 0 }, unjudged: { v2: 1 } },
    versions: ['v1:100%x2'], events: ['rollout.aborted'], phase: 'Aborted', weight: 0, requeue: null,
  },
  {
    name: 'a stable with zero ready instances does not block the canary',
    svc: service([V2], { compareToStable: true }), state: STEADY, world: { ready: { v1: 0, v2: 1 } },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.started', 'rollout.weight'], phase: 'Progressing', weight: 10,
  },
  {
    name: 'a canary that loses an instance mid-step holds until it is healthy again',
    svc: service([V2]), state: at(2, 50, { stepStartedAt: T0, analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }),
    now: T0 + 10 * S, world: CANARY_DOWN,
    versions: ['v1:50%x2', 'v2:50%x1'], events: [], phase: 'Progressing', step: 2, summary: 'step 3/5: setWeight 50, waiting for healthy instances: 0 of 1 ready',
  },
  // setWeight and analysis.
  {
    name: 'setWeight applies its weight and restarts the step clock and the analysis window',
    svc: service([V2]), state: at(0, 0), now: T0 + 5 * S,
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.weight'], phase: 'Progressing', step: 0, weight: 10,
    check: (r) => {
      assert.equal(r.state.rollout?.stepStartedAt, T0 + 5 * S);
      assert.equal(r.state.rollout?.analysis.lastCheckAt, T0 + 5 * S);
    },
  },
  {
    name: 'an inconclusive check holds the step, says why and keeps its window open',
    svc: service([V2]), state: at(0, 10), now: T0 + 10 * S, world: { samples: { v2: SPARSE } },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.inconclusive'], phase: 'Progressing', step: 0,
    summary: 'step 1/5: setWeight 10, waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 3 in the last 10s', requeue: 10_000,
    check: (r) => {
      assert.equal(r.state.rollout?.analysis.history.length, 1);
      assert.equal(r.state.rollout?.analysis.failures, 0);
      assert.equal(r.state.rollout?.analysis.lastCheckAt, T0 + 10 * S);
      assert.equal(r.state.rollout?.analysis.windowFrom, T0, 'the window stays open');
      assert.deepEqual(r.events[0]?.data.requests, 3);
      assert.deepEqual(r.events[0]?.data.minRequests, 20);
    },
  },
  ...waitingForTraffic(),
  {
    name: 'no check is due before the interval',
    svc: service([V2]), state: at(0, 10), now: T0 + 4 * S,
    versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 0, requeue: 6_000,
  },
  {
    name: 'a passing check advances to the next step',
    svc: service([V2]), state: at(0, 10), now: T0 + 10 * S,
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.pass', 'rollout.step'], phase: 'Progressing', step: 1, weight: 10,
    summary: 'step 2/5: pause 30s, 30s left', requeue: 10_000,
    check: (r) => assert.equal(r.state.rollout?.stepStartedAt, T0 + 10 * S),
  },
  {
    name: 'a pass recorded before the weight was applied does not count',
    svc: service([V2]), state: at(2, 50, { stepStartedAt: T0 + 20 * S, analysis: { lastCheckAt: T0 + 20 * S, failures: 0, history: [PASSED] } }),
    now: T0 + 25 * S,
    versions: ['v1:50%x2', 'v2:50%x1'], events: [], phase: 'Progressing', step: 2,
  },
  {
    name: 'a failed check counts a failure and holds',
    svc: service([V2]), state: at(0, 10), now: T0 + 10 * S, world: { samples: { v2: BAD } },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.fail'], phase: 'Progressing', step: 0,
    summary: 'step 1/5: setWeight 10, last check failed (1 of 2): error rate 10.0% > 5.0% (10 of 100 requests)',
    check: (r) => assert.equal(r.state.rollout?.analysis.failures, 1),
  },
  {
    name: 'failureLimit failed checks abort the rollout',
    svc: service([V2]), state: at(0, 10, { analysis: { lastCheckAt: T0, failures: 1, history: [] } }), now: T0 + 10 * S,
    world: { samples: { v2: BAD } },
    versions: ['v1:100%x2'], events: ['analysis.fail', 'rollout.aborted'], phase: 'Aborted', weight: 0, requeue: null,
    check: (r) => assert.equal(r.state.rollout?.abortReason, 'analysis failed 2 of 2 allowed checks: error rate 10.0% > 5.0% (10 of 100 requests)'),
  },
  {
    name: 'compareToStable excuses a failure the stable shares',
    svc: service([V2], { compareToStable: true }), state: at(0, 10), now: T0 + 10 * S,
    world: { samples: { v2: BAD, v1: { requests: 200, errors: 30, latencyP99Ms: 50 } } },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['analysis.pass', 'rollout.step'], phase: 'Progressing', step: 1,
    check: (r) => {
      assert.match(String(r.events[0]?.data.reason), /stable fails alike/);
      assert.deepEqual(r.events[0]?.data.stable, { version: 'v1', requests: 200, errors: 30, latencyP99Ms: 50 });
    },
  },
  // Pauses and gates.
  {
    name: 'a timed pause holds until it ends',
    svc: service([V2]), state: at(1, 10, { analysis: { lastCheckAt: T0 + 15 * S, failures: 0, history: [] } }), now: T0 + 20 * S,
    versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Progressing', step: 1, summary: 'step 2/5: pause 30s, 10s left', requeue: 5_000,
  },
  {
    name: 'a timed pause that ended applies the next weight',
    svc: service([V2]), state: at(1, 10, { analysis: { lastCheckAt: T0 + 25 * S, failures: 0, history: [] } }), now: T0 + 30 * S,
    versions: ['v1:50%x2', 'v2:50%x1'], events: ['rollout.step', 'rollout.weight'], phase: 'Progressing', step: 2, weight: 50,
  },
  {
    name: 'an indefinite pause waits for promote and says so once',
    svc: service([V2]), state: at(3, 50, { analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }), now: T0 + 10 * S,
    versions: ['v1:50%x2', 'v2:50%x1'], events: ['rollout.paused'], phase: 'Paused', step: 3, summary: 'step 4/5: pause, waiting for `dsr promote web`',
  },
  {
    name: 'an indefinite pause already announced stays quiet',
    svc: service([V2]), state: at(3, 50, { phase: 'Paused', analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }), now: T0 + 10 * S,
    versions: ['v1:50%x2', 'v2:50%x1'], events: [], phase: 'Paused', step: 3,
  },
  {
    name: 'promote passes an indefinite pause and applies the next weight',
    svc: service([V2]), state: at(3, 50, { phase: 'Paused', analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }), now: T0 + 10 * S,
    command: { type: 'promote', full: false },
    versions: ['v1:0%x2', 'v2:100%x1'], events: ['rollout.promoted', 'rollout.step', 'rollout.weight'], phase: 'Progressing', step: 4, weight: 100,
  },
  {
    name: 'promote lets a setWeight step pass without waiting for analysis',
    svc: service([V2]), state: at(0, 10), now: T0 + 2 * S, command: { type: 'promote', full: false },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.promoted', 'rollout.step'], phase: 'Progressing', step: 1, summary: 'step 2/5: pause 30s, 30s left',
  },
  {
    name: 'promote --full jumps to finalising at 100%',
    svc: service([V2]), state: at(0, 10), now: T0 + 2 * S, command: { type: 'promote', full: true },
    versions: ['v1:0%x2', 'v2:100%x1'], events: ['rollout.promoted', 'rollout.weight'], phase: 'Progressing', step: 5, weight: 100,
    summary: 'finalising, routing 100% to v2, then draining v1', requeue: DRAIN_POLL_MS,
  },
  {
    name: 'a user pause stops the steps but analysis still runs',
    svc: service([V2]), state: at(0, 10), now: T0 + 10 * S, command: { type: 'pause' },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.paused', 'analysis.pass'], phase: 'Paused', step: 0,
    summary: 'step 1/5: setWeight 10, paused by user (dsr resume to continue)', requeue: 10_000,
    check: (r) => assert.equal(r.state.rollout?.pausedByUser, true),
  },
  {
    name: 'a user pause does not expire at the deadline',
    svc: service([V2]), state: at(0, 10, { phase: 'Paused', pausedByUser: true, analysis: { lastCheckAt: T0 + 295 * S, failures: 0, history: [] } }),
    now: T0 + 300 * S, world: CANARY_DOWN,
    versions: ['v1:90%x2', 'v2:10%x1'], events: [], phase: 'Paused', step: 0,
  },
  {
    name: 'resume clears a user pause and restarts the step clock',
    svc: service([V2]), state: at(1, 10, { phase: 'Paused', pausedByUser: true, analysis: { lastCheckAt: T0 + 295 * S, failures: 0, history: [] } }),
    now: T0 + 300 * S, command: { type: 'resume' },
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.resumed'], phase: 'Progressing', step: 1, summary: 'step 2/5: pause 30s, 30s left',
  },
  {
    name: 'the abort command sends all traffic back to the stable',
    svc: service([V2]), state: at(2, 50), now: T0 + 5 * S, command: { type: 'abort' },
    versions: ['v1:100%x2'], events: ['rollout.aborted'], phase: 'Aborted', weight: 0, summary: 'aborted: aborted by user (dsr abort) (dsr retry to try again)',
  },
  // Aborted, retry, manifest changes mid-rollout.
  {
    name: 'an aborted rollout stays aborted across passes',
    svc: service([V2]), state: at(2, 0, { phase: 'Aborted', abortReason: 'boom' }), now: T0 + 500 * S,
    versions: ['v1:100%x2'], events: [], phase: 'Aborted', requeue: null, summary: 'aborted: boom (dsr retry to try again)',
  },
  {
    name: 'retry restarts an aborted rollout from the first step',
    svc: service([V2]), state: at(2, 0, { phase: 'Aborted', abortReason: 'boom', analysis: { lastCheckAt: T0, failures: 2, history: [PASSED] } }),
    now: T0 + 500 * S, world: CANARY_DOWN, command: { type: 'retry' },
    versions: ['v1:100%x2', 'v2:0%x1'], events: ['rollout.retried'], phase: 'Progressing', step: 0, weight: 0,
    check: (r) => {
      assert.equal(r.state.rollout?.startedAt, T0 + 500 * S);
      assert.deepEqual(r.state.rollout?.analysis, { lastCheckAt: T0 + 500 * S, windowFrom: T0 + 500 * S, failures: 0, history: [] });
      assert.equal(r.state.rollout?.abortReason, null);
    },
  },
  {
    name: 'a new manifest version after an abort starts a new rollout',
    svc: service([V3]), state: at(2, 0, { phase: 'Aborted', abortReason: 'boom' }), world: { ready: { v3: 0 } },
    versions: ['v1:100%x2', 'v3:0%x1'], events: ['rollout.started'], phase: 'Progressing', step: 0,
  },
  {
    name: 'reverting the manifest to the stable drops the rollout at once',
    svc: service([V1]), state: at(2, 50),
    versions: ['v1:100%x2'], events: ['rollout.reverted'], phase: null, stable: 'v1', requeue: null,
  },
  {
    name: 'reverting after an abort clears the aborted rollout quietly',
    svc: service([V1]), state: at(2, 0, { phase: 'Aborted', abortReason: 'boom' }),
    versions: ['v1:100%x2'], events: [], phase: null, stable: 'v1',
  },
  {
    name: 'a newer version replaces the canary in flight and the stable stays',
    svc: service([V3]), state: at(2, 50), world: { ready: { v3: 0 } },
    versions: ['v1:100%x2', 'v3:0%x1'], events: ['rollout.replaced'], phase: 'Progressing', step: 0, weight: 0, stable: 'v1',
  },
  {
    name: 'a replicas-only change of the canary does not restart the rollout',
    svc: service([version('v2', 'app:2', 3)]), state: at(2, 50, { analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }), now: T0 + 10 * S,
    versions: ['v1:50%x2', 'v2:50%x3'], events: [], phase: 'Progressing', step: 2,
  },
  {
    name: 'a static split clears a rollout in progress and the stable',
    svc: service([version('v1', 'app:1', 2, 90), version('v2', 'app:2', 1, 10)]), state: at(2, 50),
    versions: ['v1:90%x2', 'v2:10%x1'], events: ['rollout.cancelled'], phase: null, stable: null, requeue: null,
    summary: 'static split: v1 90%, v2 10%',
  },
  {
    name: 'setWeight 0 passes once applied: there is no traffic to judge',
    svc: service([V2], {}, [{ kind: 'setWeight', weight: 10 }, { kind: 'setWeight', weight: 0 }, { kind: 'pause', durationMs: null }]),
    state: at(1, 10, { analysis: { lastCheckAt: T0 + 5 * S, failures: 0, history: [] } }), now: T0 + 10 * S,
    versions: ['v1:100%x2', 'v2:0%x1'], events: ['rollout.weight', 'rollout.step', 'rollout.paused'], phase: 'Paused', step: 2, weight: 0, requeue: null,
  },
  // Finalising.
  {
    name: 'a passing last step starts finalising and drains the stable',
    svc: service([V2]), state: at(4, 100), now: T0 + 10 * S, world: { inFlight: { v1: 3 } },
    versions: ['v1:0%x2', 'v2:100%x1'], events: ['analysis.pass', 'rollout.step'], phase: 'Progressing', step: 5, weight: 100,
    summary: 'finalising, draining 3 requests from v1', requeue: DRAIN_POLL_MS,
  },
  {
    name: 'finalising completes once nothing is in flight to the stable',
    svc: service([V2]), state: at(5, 100, { stepStartedAt: T0 }), now: T0 + S,
    versions: ['v2:100%x1'], events: ['rollout.drained', 'rollout.completed'], phase: null, stable: 'v2', requeue: null,
    summary: 'stable v2 (rollout completed): 1 replica',
  },
  {
    name: 'finalising runs no analysis: a bad window after the last step does not abort',
    svc: service([V2]), state: at(5, 100, { analysis: { lastCheckAt: T0, failures: 1, history: [] } }), now: T0 + 20 * S,
    world: { samples: { v2: BAD }, inFlight: { v1: 1 } },
    versions: ['v1:0%x2', 'v2:100%x1'], events: [], phase: 'Progressing', step: 5,
  },
  {
    name: 'finalising completes at the drain timeout even with requests in flight',
    svc: service([V2]), state: at(5, 100), now: T0 + DRAIN_TIMEOUT_MS, world: { inFlight: { v1: 3 } },
    versions: ['v2:100%x1'], events: ['rollout.drained', 'rollout.completed'], phase: null, stable: 'v2',
    check: (r) => assert.equal(r.events[0]?.data.timedOut, true),
  },
];

describe('stepRollout', () => {
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(c.state);
      const r = run(c.svc, c.state, c.now ?? T0, c.world, c.command ?? null);
      assert.deepEqual(c.state, before, 'the input state is not modified');
      assert.deepEqual(render(r), c.versions, 'versions');
      assert.equal(r.versions.reduce((sum, v) => sum + v.weight, 0), 100, 'weights sum to 100');
      assert.deepEqual(r.events.map((e) => e.kind), c.events, 'events');
      assert.equal(r.state.rollout?.phase ?? null, c.phase, 'phase');
      if (c.stable !== undefined) assert.equal(r.state.stable?.id ?? null, c.stable, 'stable');
      if (c.step !== undefined) assert.equal(r.state.rollout?.stepIndex, c.step, 'step');
      if (c.weight !== undefined) assert.equal(r.state.rollout?.weight, c.weight, 'weight');
      if (typeof c.summary === 'string') assert.equal(r.summary, c.summary, 'summary');
      if (c.summary instanceof RegExp) assert.match(r.summary, c.summary, 'summary');
      if (c.requeue !== undefined) assert.equal(r.requeueAfterMs, c.requeue, 'requeue');
      assert.deepEqual(JSON.parse(JSON.stringify(r.state)), r.state, 'the state is plain JSON');
      c.check?.(r);
    });
  }
});

describe('versionId', () => {
  const cases: Array<{ name: string; args: [string, string, string | null]; expected: string }> = [
    { name: 'a new name is its own id', args: ['v2', 'ab12cd34ef56', 'v1'], expected: 'v2' },
    { name: 'the stable\'s name with another spec adds the hash', args: ['v1', 'ab12cd34ef56', 'v1'], expected: 'v1-ab12cd' },
    { name: 'without a stable the name is the id', args: ['v1', 'ab12cd34ef56', null], expected: 'v1' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(versionId(...c.args), c.expected));
});

describe('commandRejection', () => {
  const cases: Array<{ name: string; state: RolloutState; command: RolloutCommand; rejected: boolean }> = [
    { name: 'nothing to promote without a rollout', state: STEADY, command: { type: 'promote', full: false }, rejected: true },
    { name: 'promote applies to a progressing rollout', state: at(0, 10), command: { type: 'promote', full: true }, rejected: false },
    { name: 'retry applies only to an aborted rollout', state: at(0, 10), command: { type: 'retry' }, rejected: true },
    { name: 'retry applies to an aborted rollout', state: at(0, 0, { phase: 'Aborted' }), command: { type: 'retry' }, rejected: false },
    { name: 'an aborted rollout cannot be promoted', state: at(0, 0, { phase: 'Aborted' }), command: { type: 'promote', full: false }, rejected: true },
    { name: 'resume needs a user pause', state: at(3, 50, { phase: 'Paused' }), command: { type: 'resume' }, rejected: true },
    { name: 'resume lifts a user pause', state: at(0, 10, { phase: 'Paused', pausedByUser: true }), command: { type: 'resume' }, rejected: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(commandRejection(c.state, c.command) !== null, c.rejected));
});

/** Runs the machine with a clock until the rollout ends; returns the distinct weights in order. */
function walk(svc: ServiceSpec, sample: (id: string, from: number, to: number) => WindowSample): { weights: number[]; last: StepResult; kinds: string[]; elapsed: number } {
  let state: RolloutState = { stable: null, rollout: null };
  state = run(service([V1]), state, T0).state;
  let now = T0;
  const weights: number[] = [];
  const kinds: string[] = [];
  let last: StepResult | null = null;
  for (let i = 0; i < 1_000; i++) {
    const r = stepRollout({
      service: svc,
      revision: 'r2',
      state,
      // The canary's instances turn healthy 5 s after the rollout starts.
      ready: (id) => (id === 'v1' || now >= T0 + 5 * S ? 9 : 0),
      sample,
      // One request still in flight to the stable on the first drain poll.
      inFlight: (id) => (id === 'v1' && kinds.filter((k) => k === 'rollout.drained').length === 0 && i % 2 === 0 ? 1 : 0),
      command: null,
      now,
    });
    // Persist and reload, as the controller does through lowdb.
    state = JSON.parse(JSON.stringify(r.state)) as RolloutState;
    kinds.push(...r.events.map((e) => e.kind));
    last = r;
    const w = r.state.rollout?.weight;
    if (w !== undefined && weights.at(-1) !== w) weights.push(w);
    if (r.requeueAfterMs === null) break;
    now += Math.max(r.requeueAfterMs, 1);
  }
  assert.ok(last);
  return { weights, last, kinds, elapsed: now - T0 };
}

describe('a whole rollout', () => {
  const traffic = (errorShare: number) => (_id: string, from: number, to: number): WindowSample => {
    const requests = Math.round((to - from) / 100); // 10 requests per second
    return { requests, errors: Math.round(requests * errorShare), latencyP99Ms: 40 };
  };

  it('walks the default steps 0 → 10 → 25 → 50 → 100 and makes the canary the stable', () => {
    const { weights, last, kinds, elapsed } = walk(service([V2], {}, [...DEFAULT_ROLLOUT_STEPS]), traffic(0));
    assert.deepEqual(weights, [0, 10, 25, 50, 100]);
    assert.equal(last.state.stable?.id, 'v2');
    assert.equal(last.state.rollout, null);
    assert.deepEqual(render(last), ['v2:100%x1']);
    assert.equal(kinds.filter((k) => k === 'rollout.aborted').length, 0);
    assert.equal(kinds.at(-1), 'rollout.completed');
    // 5 s to health, 4 weights × one 10 s window, 3 pauses × 30 s, a short drain.
    assert.ok(elapsed >= 135 * S && elapsed < 140 * S, `took ${elapsed} ms`);
  });

  it('aborts a canary that answers errors at its first weight and keeps the stable', () => {
    const { weights, last, kinds } = walk(service([V2], {}, [...DEFAULT_ROLLOUT_STEPS]), traffic(0.5));
    assert.deepEqual(weights, [0, 10, 0]);
    assert.equal(last.state.rollout?.phase, 'Aborted');
    assert.equal(last.state.stable?.id, 'v1');
    assert.deepEqual(render(last), ['v1:100%x2']);
    assert.deepEqual(kinds.filter((k) => k.startsWith('analysis.')), ['analysis.fail', 'analysis.fail']);
  });
});

/**
 * Runs a rollout against steady traffic of `rps` requests/s to the service, shared by weight (the
 * canary's instances healthy after 5 s): what the gateway's metrics would report for each window.
 */
function simulate(svc: ServiceSpec, rps: number, errorShare = 0): { weights: number[]; last: StepResult; events: StepResult['events']; elapsed: number } {
  let state: RolloutState = run(service([V1]), { stable: null, rollout: null }, T0).state;
  let now = T0;
  const weights: number[] = [];
  const events: StepResult['events'] = [];
  let last: StepResult | null = null;
  for (let i = 0; i < 10_000; i++) {
    const weight = state.rollout?.weight ?? 0;
    const r = stepRollout({
      service: svc, revision: 'r2', state, command: null, now,
      ready: (id) => (id === 'v1' || now >= T0 + 5 * S ? 9 : 0),
      // A window never spans two weights: applying a weight opens a new one.
      sample: (id, from, to) => {
        const share = id === 'v1' ? 100 - weight : weight;
        const requests = Math.floor((rps * share * (to - from)) / 100_000);
        return { requests, errors: Math.round(requests * errorShare), latencyP99Ms: 40 };
      },
      inFlight: () => 0,
    });
    state = JSON.parse(JSON.stringify(r.state)) as RolloutState;
    events.push(...r.events);
    last = r;
    const w = r.state.rollout?.weight;
    if (w !== undefined && weights.at(-1) !== w) weights.push(w);
    if (r.requeueAfterMs === null) break;
    now += Math.max(r.requeueAfterMs, 1);
  }
  assert.ok(last);
  return { weights, last, events, elapsed: now - T0 };
}

const kindsOf = (events: StepResult['events'], kind: string) => events.filter((e) => e.kind === kind);

describe('a rollout under low traffic (issue 10)', () => {
  const example = loadManifests([{ path: 'example.yaml', content: readFileSync(new URL('../../manifests/example.yaml', import.meta.url)) }]).services[0]!;

  it("walks the example manifest's rollout at the README's load rate (~8 requests/s), announcing each wait once", () => {
    const svc: ServiceSpec = { ...service([V2]), rollout: example.rollout };
    const { weights, last, events, elapsed } = simulate(svc, 8);
    assert.deepEqual(weights, [0, ...example.rollout.steps.flatMap((s) => (s.kind === 'setWeight' ? [s.weight] : []))]);
    assert.equal(last.state.stable?.id, 'v2');
    assert.equal(kindsOf(events, 'rollout.aborted').length, 0);
    const waits = kindsOf(events, 'analysis.inconclusive').map((e) => e.data.step);
    assert.deepEqual(waits, [...new Set(waits)], 'at most one waiting event per step');
    for (const e of kindsOf(events, 'analysis.pass')) assert.ok(Number(e.data.requests) >= example.rollout.analysis.minRequests, 'every verdict on minRequests');
    assert.ok(elapsed < 90 * S, `took ${elapsed / S}s`);
  });

  it('passes a trickle (0.1 requests/s to a 10% canary) once minRequests accumulate over many checks', () => {
    const { weights, last, events } = simulate(service([V2], {}, [...DEFAULT_ROLLOUT_STEPS]), 1);
    assert.deepEqual(weights, [0, 10, 25, 50, 100]);
    assert.equal(last.state.stable?.id, 'v2');
    assert.equal(kindsOf(events, 'rollout.aborted').length, 0);
    assert.deepEqual(kindsOf(events, 'analysis.inconclusive').map((e) => e.data.step), [0, 2, 4, 6], 'exactly one waiting event per step wait');
    const passes = kindsOf(events, 'analysis.pass');
    assert.equal(passes.length, 4);
    // 20 requests at 0.1/s take 200 s: twenty checks, one verdict.
    assert.deepEqual(passes.map((e) => e.data.requests), [20, 20, 20, 20]);
    assert.equal(Number(passes[0]!.data.toMs) - Number(passes[0]!.data.fromMs), 200 * S);
  });

  it('fails a trickle from a failing canary on full windows', () => {
    const { weights, last, events } = simulate(service([V2], {}, [...DEFAULT_ROLLOUT_STEPS]), 1, 0.5);
    assert.deepEqual(weights, [0, 10, 0]);
    assert.equal(last.state.rollout?.phase, 'Aborted');
    assert.deepEqual(kindsOf(events, 'analysis.fail').map((e) => e.data.requests), [20, 20]);
    assert.match(last.state.rollout?.abortReason ?? '', /^analysis failed 2 of 2 allowed checks: error rate 50\.0% > 5\.0% \(10 of 20 requests\)$/);
  });

  it('aborts a trickle only when the manifest sets inconclusiveDeadline', () => {
    const { weights, last, events } = simulate(service([V2], { inconclusiveDeadlineMs: 60 * S }, [...DEFAULT_ROLLOUT_STEPS]), 1);
    assert.deepEqual(weights, [0, 10, 0]);
    assert.equal(kindsOf(events, 'analysis.inconclusive').length, 1);
    assert.equal(last.state.rollout?.abortReason, 'step 1/7: setWeight 10 waited 60s for traffic (inconclusiveDeadline 60s): waiting for traffic: needs ≥ 20 requests to v2 in a window; seen 6 in the last 60s');
  });
});

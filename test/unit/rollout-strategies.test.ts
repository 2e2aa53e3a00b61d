// Rolling and Recreate (SPEC §8 `spec.strategy`), decided by the same pure machine as canaries:
// tables of named cases, then simulations that play passes against a world that reacts (new
// instances turn healthy, removed ones go away), including a DSR restart mid-way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stepRollout } from '../../src/rollout/machine.js';
import { commandRejection } from '../../src/rollout/commands.js';
import { replaceVersions } from '../../src/rollout/replace.js';
import { trackVersion } from '../../src/rollout/versions.js';
import { versionsToRun } from '../../src/rollout/versions-to-run.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH } from '../../src/manifest/defaults.js';
import type { ServiceSpec, Strategy, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutCommand, RolloutState, StepResult } from '../../src/rollout/types.js';
import type { DesiredVersion } from '../../src/plan/wanted.js';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';

const T0 = 1_000_000;
const S = 1_000;
const DEADLINE = 60 * S;

function version(name: string, replicas: number): VersionSpec {
  return { name, image: `app:${name}`, replicas, weight: 100, env: {}, command: null };
}

function service(strategy: Strategy, v: VersionSpec): ServiceSpec {
  return {
    ...STACK_FIELDS_ABSENT,
    strategy,
    name: 'worker',
    port: null,
    health: { ...DEFAULT_HEALTH },
    versions: [v],
    rollout: { steps: [{ kind: 'pause', durationMs: null }], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: DEADLINE },
    gateway: { ...DEFAULT_GATEWAY },
    stopGracePeriodMs: 10 * S,
    source: { file: 'worker.yaml', line: 1, column: 1 },
  };
}

const V1 = version('v1', 3);
const V2 = version('v2', 3);
const PORTLESS = { ...STACK_FIELDS_ABSENT, port: null };
const STABLE = trackVersion(PORTLESS, V1, null);
const NEXT = trackVersion(PORTLESS, V2, 'v1');
const STEADY: RolloutState = { stable: STABLE, rollout: null };

/** `v1:67%x2`: id, weight, replicas. */
function render(versions: DesiredVersion[]): string[] {
  return versions.map((v) => `${v.name}:${v.weight}%x${v.replicas}`);
}

function step(svc: ServiceSpec, state: RolloutState, now: number, ready: Record<string, number>, present: Record<string, number> = ready, command: RolloutCommand | null = null): StepResult {
  return stepRollout({
    service: svc, revision: 'r2', state, now, command,
    ready: (id) => ready[id] ?? 0,
    present: (id) => present[id] ?? 0,
    sample: () => ({ requests: 0, errors: 0, latencyP99Ms: null }),
    inFlight: () => 0,
  });
}

describe('replaceVersions', () => {
  const cases: Array<{ name: string; strategy: 'Rolling' | 'Recreate'; step: number; expected: string[] }> = [
    { name: 'Rolling starts one new instance beside all the old ones', strategy: 'Rolling', step: 0, expected: ['v1:100%x3', 'v2:0%x1'] },
    { name: 'Rolling after one healthy: one old fewer, one new more', strategy: 'Rolling', step: 1, expected: ['v1:67%x2', 'v2:33%x2'] },
    { name: 'Rolling after two healthy', strategy: 'Rolling', step: 2, expected: ['v1:33%x1', 'v2:67%x3'] },
    { name: 'Rolling with all new healthy runs none of the old', strategy: 'Rolling', step: 3, expected: ['v1:0%x0', 'v2:100%x3'] },
    { name: 'Recreate first runs nothing (the old ones are stopped)', strategy: 'Recreate', step: 0, expected: ['v1:100%x0'] },
    { name: 'Recreate then runs only the new ones', strategy: 'Recreate', step: 1, expected: ['v2:100%x3'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(render(replaceVersions(c.strategy, STABLE, NEXT, c.step)), c.expected));
});

describe('stepRollout with Rolling and Recreate', () => {
  const cases: Array<{ name: string; svc: ServiceSpec; state: RolloutState; now?: number; ready?: Record<string, number>; present?: Record<string, number>; versions: string[]; events: string[]; phase: string | null; step?: number; summary?: RegExp }> = [
    {
      name: 'Rolling: a new version starts at one new instance', svc: service('Rolling', V2), state: STEADY, ready: { v1: 3 },
      versions: ['v1:100%x3', 'v2:0%x1'], events: ['rollout.started'], phase: 'Progressing', step: 0, summary: /rolling v2: 0 of 3 new instance\(s\) healthy, 3 of v1 left/,
    },
    {
      name: 'Rolling: a healthy new instance lets one old go', svc: service('Rolling', V2), state: stateAt(0), now: T0 + 10 * S, ready: { v1: 3, v2: 1 },
      versions: ['v1:67%x2', 'v2:33%x2'], events: ['rollout.step'], phase: 'Progressing', step: 1,
    },
    {
      name: 'Rolling: waits while the next new instance starts', svc: service('Rolling', V2), state: stateAt(1), now: T0 + 20 * S, ready: { v1: 2, v2: 1 },
      versions: ['v1:67%x2', 'v2:33%x2'], events: [], phase: 'Progressing', step: 1,
    },
    {
      name: 'Rolling: completes when every new instance is healthy', svc: service('Rolling', V2), state: stateAt(2), now: T0 + 30 * S, ready: { v1: 1, v2: 3 },
      versions: ['v2:100%x3'], events: ['rollout.completed'], phase: null,
    },
    {
      name: 'Rolling: a new instance not healthy by progressDeadline aborts and brings every old one back',
      svc: service('Rolling', V2), state: stateAt(1, T0 + 5 * S), now: T0 + 5 * S + DEADLINE, ready: { v1: 2, v2: 1 },
      versions: ['v1:100%x3'], events: ['rollout.aborted'], phase: 'Aborted', summary: /instance 2 of v2 not healthy within progressDeadline \(60s\).*dsr retry worker/,
    },
    {
      name: 'Recreate: a new version first stops every old instance', svc: service('Recreate', V2), state: STEADY, ready: { v1: 3 },
      versions: ['v1:100%x0'], events: ['rollout.started'], phase: 'Progressing', step: 0, summary: /stopping v1 first \(3 left/,
    },
    {
      name: 'Recreate: an old container still there, even stopped, holds the new ones back',
      svc: service('Recreate', V2), state: stateAt(0), now: T0 + 5 * S, ready: {}, present: { v1: 1 },
      versions: ['v1:100%x0'], events: [], phase: 'Progressing', step: 0,
    },
    {
      name: 'Recreate: once none of the old is left, the new ones start', svc: service('Recreate', V2), state: stateAt(0), now: T0 + 5 * S, ready: {}, present: {},
      versions: ['v2:100%x3'], events: ['rollout.step'], phase: 'Progressing', step: 1,
    },
    {
      name: 'Recreate: completes when the new ones are healthy', svc: service('Recreate', V2), state: stateAt(1), now: T0 + 9 * S, ready: { v2: 3 },
      versions: ['v2:100%x3'], events: ['rollout.completed'], phase: null,
    },
    {
      name: 'Recreate: new ones not healthy by progressDeadline abort', svc: service('Recreate', V2), state: stateAt(1), now: T0 + DEADLINE, ready: { v2: 1 },
      versions: ['v1:100%x3'], events: ['rollout.aborted'], phase: 'Aborted', summary: /2 of 3 instance\(s\) of v2 not healthy within progressDeadline/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = step(c.svc, c.state, c.now ?? T0, c.ready ?? {}, c.present ?? c.ready ?? {});
      assert.deepEqual(render(r.versions), c.versions, 'versions');
      assert.deepEqual(r.events.map((e) => e.kind), c.events, 'events');
      assert.equal(r.state.rollout?.phase ?? null, c.phase, 'phase');
      if (c.step !== undefined) assert.equal(r.state.rollout?.stepIndex, c.step, 'step');
      if (c.summary) assert.match(r.summary, c.summary);
      // dsr plan derives the same versions from the saved state.
      assert.deepEqual(render(versionsToRun(c.svc, r.state, () => 0)), c.versions, 'versionsToRun agrees');
    });
  }
});

function stateAt(stepIndex: number, stepStartedAt = T0): RolloutState {
  return {
    stable: STABLE,
    rollout: {
      phase: 'Progressing', revision: 'r2', canary: NEXT, stepIndex, weight: 0, startedAt: T0, stepStartedAt, pausedByUser: false,
      analysis: { lastCheckAt: T0, windowFrom: T0, failures: 0, history: [] }, abortReason: null, promotedStep: null,
    },
  };
}

/**
 * Plays passes: each pass steps the machine, then the world converges on what it asked for the
 * way the planner and Docker would (removals first, creations after, a new instance healthy one
 * pass after it was created). `restartAt` round-trips the state through JSON at that pass, as a
 * DSR restarted from state.json would read it.
 */
function simulate(strategy: Strategy, restartAt: number | null): { trace: string[]; overlap: boolean; final: RolloutState } {
  const svc = service(strategy, V2);
  let state: RolloutState = STEADY;
  const running: Record<string, { healthy: number; starting: number }> = { v1: { healthy: 3, starting: 0 }, v2: { healthy: 0, starting: 0 } };
  const trace: string[] = [];
  let overlap = false;
  for (let pass = 0; pass < 20; pass++) {
    if (pass === restartAt) state = JSON.parse(JSON.stringify(state)) as RolloutState;
    // Instances started last pass are healthy now.
    for (const v of Object.values(running)) {
      v.healthy += v.starting;
      v.starting = 0;
    }
    const total = (id: string): number => (running[id]?.healthy ?? 0) + (running[id]?.starting ?? 0);
    const r = step(svc, state, T0 + pass * S, { v1: running.v1!.healthy, v2: running.v2!.healthy }, { v1: total('v1'), v2: total('v2') });
    state = r.state;
    const wanted = new Map(r.versions.map((v) => [v.name, v.replicas]));
    for (const id of ['v1', 'v2']) {
      const want = wanted.get(id) ?? 0;
      const v = running[id]!;
      while (total(id) > want) (v.starting > 0 ? v.starting-- : v.healthy--);
    }
    for (const id of ['v1', 'v2']) {
      const want = wanted.get(id) ?? 0;
      const v = running[id]!;
      v.starting += Math.max(0, want - total(id));
    }
    if (total('v1') > 0 && total('v2') > 0) overlap = true;
    trace.push(`v1=${total('v1')} v2=${total('v2')}`);
    if (!state.rollout && state.stable?.id === 'v2') break;
  }
  return { trace, overlap, final: state };
}

describe('operator commands on Rolling and Recreate', () => {
  it('dsr abort stops a Rolling rollout: the old version back in full', () => {
    const r = step(service('Rolling', V2), stateAt(1), T0 + S, { v1: 2, v2: 1 }, { v1: 2, v2: 2 }, { type: 'abort' });
    assert.deepEqual([r.state.rollout?.phase, r.state.rollout?.abortReason, render(r.versions)], ['Aborted', 'aborted by user (dsr abort)', ['v1:100%x3']]);
  });
  const refused: Array<RolloutCommand['type']> = ['promote', 'pause', 'resume'];
  for (const type of refused) {
    it(`refuses ${type}, which only canaries have, saying what does apply`, () => {
      const command = (type === 'promote' ? { type, full: false } : { type }) as RolloutCommand;
      assert.match(commandRejection(stateAt(1), command, 'Rolling') ?? '', new RegExp(`^${type} applies to Canary rollouts; a Rolling rollout advances as its new instances turn healthy`));
    });
  }
  it('accepts abort and, once aborted, retry', () => {
    assert.equal(commandRejection(stateAt(1), { type: 'abort' }, 'Recreate'), null);
    const aborted: RolloutState = { ...stateAt(1), rollout: { ...stateAt(1).rollout!, phase: 'Aborted', abortReason: 'x' } };
    assert.equal(commandRejection(aborted, { type: 'retry' }, 'Recreate'), null);
  });
});

describe('strategies, simulated', () => {
  it('Rolling replaces one instance at a time and never runs fewer than 3 or more than 4', () => {
    const { trace, final } = simulate('Rolling', null);
    assert.deepEqual(trace, ['v1=3 v2=1', 'v1=2 v2=2', 'v1=1 v2=3', 'v1=0 v2=3']);
    assert.equal(final.stable?.id, 'v2');
  });

  it('Recreate never runs old and new at once', () => {
    const { trace, overlap, final } = simulate('Recreate', null);
    assert.equal(overlap, false, trace.join(' | '));
    assert.deepEqual(trace, ['v1=0 v2=0', 'v1=0 v2=3', 'v1=0 v2=3']);
    assert.equal(final.stable?.id, 'v2');
  });

  for (const strategy of ['Rolling', 'Recreate'] as const) {
    for (const restartAt of [1, 2]) {
      it(`${strategy}: a DSR restarted at pass ${restartAt} picks up where it was`, () => {
        const straight = simulate(strategy, null);
        const restarted = simulate(strategy, restartAt);
        assert.deepEqual(restarted.trace, straight.trace);
        assert.equal(restarted.overlap, straight.overlap);
        assert.equal(restarted.final.stable?.id, 'v2');
      });
    }
  }
});

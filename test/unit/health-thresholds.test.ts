import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialProbeState, isRoutable, recordPassiveFailure, recordProbe, type ProbeState,
} from '../../src/health/thresholds.js';
import type { HealthSpec } from '../../src/manifest/service-spec.js';

const SPEC: HealthSpec = {
  probe: { kind: 'http', path: '/health' }, intervalMs: 5_000, timeoutMs: 2_000, failureThreshold: 3, successThreshold: 1, startPeriodMs: 10_000,
};

/** One thing that happens to an instance started at t=0: a probe result or a gateway failure, at a time. */
type Step = ['ok', number] | ['fail', number] | ['passive', number];

function replay(steps: Step[], spec: Partial<HealthSpec> = {}): ProbeState {
  const full = { ...SPEC, ...spec };
  let state = initialProbeState(0);
  for (const [kind, at] of steps) {
    if (kind === 'ok') state = recordProbe(state, { ok: true }, at, full);
    else if (kind === 'fail') state = recordProbe(state, { ok: false, error: `fail@${at}` }, at, full);
    else state = recordPassiveFailure(state, `refused@${at}`, at);
  }
  return state;
}

// After the 10 s start period, so failures count.
const LATE = 20_000;

describe('instance health thresholds', () => {
  const cases: Array<{ name: string; spec?: Partial<HealthSpec>; steps: Step[]; expected: Partial<ProbeState> }> = [
    {
      name: 'a new instance is starting with no history',
      steps: [],
      expected: { health: 'starting', consecutiveFailures: 0, consecutiveSuccesses: 0, lastProbeAt: null, lastError: null, everHealthy: false },
    },
    {
      name: 'one success makes it healthy with successThreshold 1',
      steps: [['ok', 1_000]],
      expected: { health: 'healthy', consecutiveSuccesses: 1, lastProbeAt: 1_000, everHealthy: true },
    },
    {
      name: 'successThreshold 3: two successes are not enough',
      spec: { successThreshold: 3 },
      steps: [['ok', 1_000], ['ok', 2_000]],
      expected: { health: 'starting', consecutiveSuccesses: 2, everHealthy: false },
    },
    {
      name: 'successThreshold 3: the third success in a row makes it healthy',
      spec: { successThreshold: 3 },
      steps: [['ok', 1_000], ['ok', 2_000], ['ok', 3_000]],
      expected: { health: 'healthy', consecutiveSuccesses: 3, everHealthy: true },
    },
    {
      name: 'a counted failure breaks a run of successes',
      spec: { successThreshold: 2 },
      steps: [['ok', LATE], ['fail', LATE + 1], ['ok', LATE + 2]],
      expected: { health: 'starting', consecutiveSuccesses: 1, consecutiveFailures: 0 },
    },
    {
      name: 'a failure inside the start period is not counted but still breaks a run of successes',
      spec: { successThreshold: 2 },
      steps: [['ok', 1_000], ['fail', 2_000], ['ok', 3_000]],
      expected: { health: 'starting', consecutiveSuccesses: 1, consecutiveFailures: 0 },
    },
    {
      name: 'failures before startedAt + startPeriod are not counted, up to the last millisecond',
      steps: [['fail', 0], ['fail', 5_000], ['fail', 9_999]],
      expected: { health: 'starting', consecutiveFailures: 0, lastError: 'fail@9999', lastProbeAt: 9_999 },
    },
    {
      name: 'a failure exactly at startedAt + startPeriod counts',
      steps: [['fail', 9_999], ['fail', 10_000]],
      expected: { health: 'starting', consecutiveFailures: 1, lastError: 'fail@10000' },
    },
    {
      name: 'failureThreshold counted failures make a never-healthy instance unhealthy',
      steps: [['fail', 5_000], ['fail', 10_000], ['fail', 15_000], ['fail', 20_000]],
      expected: { health: 'unhealthy', consecutiveFailures: 3, lastError: 'fail@20000' },
    },
    {
      name: 'a healthy instance with fewer than failureThreshold failures stays healthy',
      steps: [['ok', LATE], ['fail', LATE + 1], ['fail', LATE + 2]],
      expected: { health: 'healthy', consecutiveFailures: 2, consecutiveSuccesses: 0 },
    },
    {
      name: 'a healthy instance turns unhealthy at failureThreshold',
      steps: [['ok', LATE], ['fail', LATE + 1], ['fail', LATE + 2], ['fail', LATE + 3]],
      expected: { health: 'unhealthy', consecutiveFailures: 3, everHealthy: true },
    },
    {
      name: 'a success resets the failure count',
      steps: [['ok', LATE], ['fail', LATE + 1], ['fail', LATE + 2], ['ok', LATE + 3], ['fail', LATE + 4], ['fail', LATE + 5]],
      expected: { health: 'healthy', consecutiveFailures: 2 },
    },
    {
      name: 'failureThreshold 1: one counted failure makes a healthy instance unhealthy',
      spec: { failureThreshold: 1 },
      steps: [['ok', LATE], ['fail', LATE + 1]],
      expected: { health: 'unhealthy', consecutiveFailures: 1 },
    },
    {
      name: 'failureThreshold 1: the start period still protects a booting instance',
      spec: { failureThreshold: 1 },
      steps: [['fail', 1_000], ['fail', 9_000]],
      expected: { health: 'starting', consecutiveFailures: 0 },
    },
    {
      name: 'once healthy, the start period no longer hides failures',
      steps: [['ok', 1_000], ['fail', 2_000], ['fail', 3_000], ['fail', 4_000]],
      expected: { health: 'unhealthy', consecutiveFailures: 3 },
    },
    {
      name: 'unhealthy is terminal: a later success does not bring it back',
      steps: [['fail', LATE], ['fail', LATE + 1], ['fail', LATE + 2], ['ok', LATE + 3], ['ok', LATE + 4]],
      expected: { health: 'unhealthy', consecutiveFailures: 3, consecutiveSuccesses: 0, lastProbeAt: LATE + 2, lastError: `fail@${LATE + 2}` },
    },
    {
      name: 'a success clears the last error',
      steps: [['fail', 1_000], ['ok', 2_000]],
      expected: { health: 'healthy', lastError: null, lastProbeAt: 2_000 },
    },
    {
      name: 'a passive failure takes a healthy instance out of rotation at once',
      steps: [['ok', LATE], ['fail', LATE + 1], ['passive', LATE + 2]],
      expected: { health: 'starting', consecutiveSuccesses: 0, consecutiveFailures: 1, lastError: `refused@${LATE + 2}`, lastProbeAt: LATE + 1, everHealthy: true },
    },
    {
      name: 'passive failures alone never make an instance unhealthy',
      spec: { failureThreshold: 1 },
      steps: [['ok', LATE], ['passive', LATE + 1], ['passive', LATE + 2], ['passive', LATE + 3]],
      expected: { health: 'starting', consecutiveFailures: 0 },
    },
    {
      name: 'after a passive failure, successThreshold successes re-admit the instance',
      spec: { successThreshold: 2 },
      steps: [['ok', LATE], ['ok', LATE + 1], ['passive', LATE + 2], ['ok', LATE + 3], ['ok', LATE + 4]],
      expected: { health: 'healthy', consecutiveSuccesses: 2 },
    },
    {
      name: 'after a passive failure, one success is not enough when successThreshold is 2',
      spec: { successThreshold: 2 },
      steps: [['ok', LATE], ['ok', LATE + 1], ['passive', LATE + 2], ['ok', LATE + 3]],
      expected: { health: 'starting', consecutiveSuccesses: 1 },
    },
    {
      name: 'a passive failure does not touch an unhealthy instance',
      spec: { failureThreshold: 1 },
      steps: [['fail', LATE], ['passive', LATE + 1]],
      expected: { health: 'unhealthy', lastError: `fail@${LATE}` },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const state = replay(c.steps, c.spec);
      const picked = Object.fromEntries(Object.keys(c.expected).map((k) => [k, state[k as keyof ProbeState]]));
      assert.deepEqual(picked, c.expected);
    });
  }

  it('never mutates the state it is given', () => {
    const before = initialProbeState(0);
    const copy = { ...before };
    recordProbe(before, { ok: true }, 1, SPEC);
    recordProbe(before, { ok: false, error: 'x' }, LATE, SPEC);
    recordPassiveFailure(before, 'x', LATE);
    assert.deepEqual(before, copy);
  });
});

describe('isRoutable', () => {
  const cases: Array<{ name: string; steps: Step[]; expected: boolean }> = [
    { name: 'a starting instance gets no traffic', steps: [], expected: false },
    { name: 'a healthy instance gets traffic', steps: [['ok', 1]], expected: true },
    { name: 'a healthy instance with some failures still gets traffic', steps: [['ok', LATE], ['fail', LATE + 1]], expected: true },
    { name: 'an instance the gateway could not reach gets no traffic', steps: [['ok', 1], ['passive', 2]], expected: false },
    { name: 'an unhealthy instance gets no traffic', steps: [['fail', LATE], ['fail', LATE + 1], ['fail', LATE + 2]], expected: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(isRoutable(replay(c.steps)), c.expected));
  }
});

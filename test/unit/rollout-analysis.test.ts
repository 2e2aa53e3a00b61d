import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judge, type Judgement } from '../../src/rollout/analysis.js';
import type { AnalysisSpec } from '../../src/manifest/service-spec.js';
import type { WindowSample } from '../../src/rollout/types.js';

const SPEC: AnalysisSpec = { intervalMs: 10_000, minRequests: 20, maxErrorRate: 0.05, maxLatencyP99Ms: 500, failureLimit: 2, compareToStable: false, inconclusiveDeadlineMs: null };
const COMPARE: AnalysisSpec = { ...SPEC, compareToStable: true };

function w(requests: number, errors: number, latencyP99Ms: number | null = 100): WindowSample {
  return { requests, errors, latencyP99Ms };
}

describe('judge', () => {
  const cases: Array<{ name: string; spec?: AnalysisSpec; canary: WindowSample; stable?: WindowSample; expected: Partial<Judgement> }> = [
    {
      name: 'too few requests is inconclusive, never a pass',
      canary: w(3, 0),
      expected: { result: 'inconclusive', reason: 'waiting for traffic: 3 of 20 requests', requests: 3, errorRate: 0 },
    },
    {
      name: 'no traffic at all is inconclusive with no error rate',
      canary: w(0, 0, null),
      expected: { result: 'inconclusive', reason: 'waiting for traffic: 0 of 20 requests', errorRate: null, latencyP99Ms: null },
    },
    {
      name: 'few requests that all failed are still inconclusive',
      canary: w(19, 19),
      expected: { result: 'inconclusive' },
    },
    {
      name: 'errors and latency under the thresholds pass',
      canary: w(50, 1, 120),
      expected: { result: 'pass', errorRate: 0.02, latencyP99Ms: 120, reason: 'error rate 2.0%, p99 120ms over 50 requests' },
    },
    {
      name: 'an error rate exactly at the threshold passes',
      canary: w(100, 5),
      expected: { result: 'pass' },
    },
    {
      name: 'an error rate over the threshold fails with its numbers',
      canary: w(50, 6),
      expected: { result: 'fail', errorRate: 0.12, reason: 'error rate 12.0% > 5.0% (6 of 50 requests)' },
    },
    {
      name: 'a p99 over the threshold fails',
      canary: w(50, 0, 800),
      expected: { result: 'fail', reason: 'p99 latency 800ms > 500ms' },
    },
    {
      name: 'both breaches are named',
      canary: w(50, 6, 800),
      expected: { result: 'fail', reason: 'error rate 12.0% > 5.0% (6 of 50 requests); p99 latency 800ms > 500ms' },
    },
    {
      name: 'no latency recorded (only upstream failures) judges the error rate alone',
      canary: w(30, 0, null),
      expected: { result: 'pass', latencyP99Ms: null, reason: 'error rate 0.0% over 30 requests' },
    },
    {
      name: 'an error rate the stable shares in the same window is excused',
      spec: COMPARE,
      canary: w(50, 6),
      stable: w(40, 8),
      expected: { result: 'pass', reason: "error rate 12.0% > 5.0% (6 of 50 requests), stable fails alike (error rate 20.0%): not the canary's fault" },
    },
    {
      name: 'a stable failing less than the canary gives no excuse',
      spec: COMPARE,
      canary: w(50, 6),
      stable: w(100, 6),
      expected: { result: 'fail' },
    },
    {
      name: 'a stable with fewer than minRequests gives no excuse',
      spec: COMPARE,
      canary: w(50, 6),
      stable: w(10, 8),
      expected: { result: 'fail', reason: 'error rate 12.0% > 5.0% (6 of 50 requests)' },
    },
    {
      name: 'a shared latency breach is excused',
      spec: COMPARE,
      canary: w(50, 0, 800),
      stable: w(50, 0, 900),
      expected: { result: 'pass' },
    },
    {
      name: 'only the shared breach is excused: a canary-only breach still fails',
      spec: COMPARE,
      canary: w(50, 6, 800),
      stable: w(50, 10, 100),
      expected: { result: 'fail', reason: 'p99 latency 800ms > 500ms' },
    },
    {
      name: 'a stable without latency data gives no latency excuse',
      spec: COMPARE,
      canary: w(50, 0, 800),
      stable: w(50, 50, null),
      expected: { result: 'fail' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const j = judge(c.spec ?? SPEC, c.canary, c.stable ?? null);
      for (const [key, value] of Object.entries(c.expected)) assert.deepEqual(j[key as keyof Judgement], value, key);
    });
  }
});

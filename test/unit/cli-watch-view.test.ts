import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceStatus } from '../../src/controller/status.js';
import type { DsrEvent } from '../../src/events/types.js';
import { outcomeOf, plainLine, progressBar, renderWatch, verdictLine } from '../../src/cli/watch-view.js';

function status(over: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name: 'web', phase: 'Progressing', message: 'rollout v2: step 2/4', revision: 'abc', appliedRevision: 'abc', synced: true,
    versions: [{ name: 'v1', image: 'i:v1', replicas: 1, ready: 1, weight: 70 }, { name: 'v2', image: 'i:v2', replicas: 1, ready: 1, weight: 30 }],
    instances: [{ id: '1', name: 'dsr-web-v1-1', version: 'v1', index: 1, state: 'running', health: 'healthy', address: null, createdAt: '', current: true, lastError: null }],
    backoff: null, errors: [], source: null, stable: null,
    rollout: { phase: 'Progressing', stable: 'v1', canary: 'v2', step: 2, steps: 4, weight: 30, summary: 'pause 40s, 10s left', abortReason: null, failures: 0, lastVerdict: null, startedAt: '' },
    ...over,
  } as ServiceStatus;
}

function event(kind: string, data: Record<string, unknown> = {}): DsrEvent {
  return { id: 1, time: '2026-01-02T03:04:05.000Z', kind, service: 'web', version: 'v2', revision: null, message: `${kind} message`, data };
}

describe('watch view', () => {
  const bars: Array<[number, number, string]> = [[0, 4, '[--------------------]'], [2, 4, '[##########----------]'], [4, 4, '[####################]'], [5, 4, '[####################]'], [0, 0, '[####################]']];
  for (const [done, total, bar] of bars) it(`draws step ${done} of ${total} as ${bar}`, () => assert.equal(progressBar(done, total), bar));

  it('shows phase, step with its bar, weights, verdicts and instances', () => {
    const lines = renderWatch(status(), [event('analysis.pass', { requests: 41, errorRate: 0, latencyP99Ms: 377.4 })]);
    assert.deepEqual(lines, [
      'web  Progressing  rollout v2: step 2/4',
      'rollout   v1 -> v2  Progressing',
      'step      [##########----------] 2/4  pause 40s, 10s left',
      'weights   v1 70%  v2 30%',
      'verdicts',
      '  03:04:05 pass 41 req, errors 0.0%, p99 377 ms',
      'instances',
      '  dsr-web-v1-1  v1  running  healthy',
    ]);
  });

  it('says why a verdict failed', () => {
    assert.equal(verdictLine(event('analysis.fail', { requests: 20, errorRate: 0.25, latencyP99Ms: null, reason: 'error rate 25.0% > 5.0%' })), '03:04:05 fail 20 req, errors 25.0%, p99 - (error rate 25.0% > 5.0%)');
  });

  it('prints one plain line per state', () => {
    assert.equal(plainLine(status()), 'web Progressing rollout v2 Progressing step 2/4 v1=70% v2=30% 1/1 healthy');
    assert.equal(plainLine(status({ rollout: null, phase: 'Healthy' })), 'web Healthy v1=70% v2=30% 1/1 healthy');
  });
});

describe('watch outcome', () => {
  const cases: Array<[string, DsrEvent | null, ServiceStatus | null, 0 | 1 | null]> = [
    ['a completed rollout exits 0', event('rollout.completed'), status({ rollout: null }), 0],
    ['an aborted rollout exits 1', event('rollout.aborted'), status(), 1],
    ['any other event goes on', event('analysis.pass'), status({ rollout: null }), null],
    ['a rollout in progress goes on', null, status(), null],
    ['a rollout already aborted exits 1 at once', null, status({ rollout: { ...status().rollout!, phase: 'Aborted', abortReason: 'too many errors' } }), 1],
    ['nothing to roll out, in sync: exits 0 at once', null, status({ rollout: null }), 0],
    ['nothing yet but a revision not applied: waits', null, status({ rollout: null, synced: false }), null],
  ];
  for (const [name, e, s, code] of cases) it(name, () => assert.equal(outcomeOf(e, s)?.code ?? null, code));
});

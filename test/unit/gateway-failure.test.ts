import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError, judgeFailure } from '../../src/gateway/failure.js';
import type { FailureFacts, FailureVerdict } from '../../src/gateway/failure.js';

const base: FailureFacts = { connected: false, reusedSocket: false, responseStarted: false, bodyStarted: false, method: 'GET', timedOut: null };

describe('failure verdicts', () => {
  const cases: Array<[string, Partial<FailureFacts>, FailureVerdict]> = [
    ['a refused GET is ejected and retried', {}, { eject: true, retry: true, status: 502 }],
    ['a refused POST is retried too: nothing reached the instance', { method: 'POST' }, { eject: true, retry: true, status: 502 }],
    ['a refused POST whose body had started is not retried', { method: 'POST', bodyStarted: true }, { eject: true, retry: false, status: 502 }],
    ['a connect timeout ejects and retries', { timedOut: 'connect' }, { eject: true, retry: true, status: 502 }],
    ['a reset GET on a fresh connection is ejected and retried', { connected: true }, { eject: true, retry: true, status: 502 }],
    ['a reset POST on a fresh connection is ejected, not retried', { connected: true, method: 'POST' }, { eject: true, retry: false, status: 502 }],
    ['a reset PUT whose body was streaming is not retried', { connected: true, method: 'PUT', bodyStarted: true }, { eject: true, retry: false, status: 502 }],
    ['a reset GET on a reused connection is retried, not ejected', { connected: true, reusedSocket: true }, { eject: false, retry: true, status: 502 }],
    ['a reset DELETE on a reused connection is retried', { connected: true, reusedSocket: true, method: 'DELETE' }, { eject: false, retry: true, status: 502 }],
    ['a reset PATCH on a reused connection is not retried', { connected: true, reusedSocket: true, method: 'PATCH' }, { eject: false, retry: false, status: 502 }],
    ['a response timeout answers 504, no eject, no retry', { connected: true, timedOut: 'response' }, { eject: false, retry: false, status: 504 }],
    ['a failure after the response started is neither retried nor ejected', { connected: true, responseStarted: true }, { eject: false, retry: false, status: 502 }],
  ];
  for (const [name, facts, verdict] of cases) it(name, () => assert.deepEqual(judgeFailure({ ...base, ...facts }), verdict));

  it('describes errors with their code once', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.equal(describeError(refused), 'connect ECONNREFUSED 127.0.0.1:9');
    assert.equal(describeError(reset), 'ECONNRESET socket hang up');
    assert.equal(describeError('plain'), 'plain');
  });
});

// The controller says what kind of refusal a command met; only the API turns it into a status code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Response } from 'express';
import { CommandError, type CommandRefusal } from '../../src/controller/command-error.js';
import { answerRefusal } from '../../src/api/command-status.js';

/** A Response that remembers the status and body it was given. */
function recordingResponse(): { res: Response; sent: { status?: number; body?: unknown } } {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  return { res, sent };
}

describe('answerRefusal', () => {
  const cases: Array<{ name: string; refusal: CommandRefusal; status: number }> = [
    { name: 'an undeclared service is 404', refusal: 'unknown-service', status: 404 },
    { name: 'a command the rollout state refuses (or a superseded one) is 409', refusal: 'rejected', status: 409 },
    { name: 'a command DSR could not apply (shutting down, engine out) is 503', refusal: 'unavailable', status: 503 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { res, sent } = recordingResponse();
      answerRefusal(res, new CommandError(c.refusal, 'why, and what to do'));
      assert.deepEqual(sent, { status: c.status, body: { error: 'why, and what to do' } });
    });
  }

  it('rethrows anything that is not a refusal (express answers 500)', () => {
    const { res, sent } = recordingResponse();
    const error = new Error('store write failed');
    assert.throws(() => answerRefusal(res, error), (e) => e === error);
    assert.deepEqual(sent, {});
  });
});

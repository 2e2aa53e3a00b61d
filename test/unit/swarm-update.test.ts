// Optimistic concurrency of service updates, against a scripted engine that refuses stale versions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpec } from 'dockerode';
import { isOutOfSequence, updateService } from '../../src/swarm/update.js';

/** Swarm's answer to a stale version, as dockerode reports it. */
function outOfSequence(): Error {
  return Object.assign(new Error('(HTTP code 500) server error - rpc error: code = Unknown desc = update out of sequence'), {
    statusCode: 500,
    json: { message: 'rpc error: code = Unknown desc = update out of sequence' },
  });
}

/** A service at `version` that someone else bumps `racers` times just before our writes. */
function engine(racers: number) {
  let version = 10;
  let spec: ServiceSpec = { Name: 'svc', Labels: {} };
  const writes: number[] = [];
  return {
    writes,
    spec: () => spec,
    writer: {
      read: async () => ({ version, spec }),
      write: async (v: number, next: ServiceSpec) => {
        writes.push(v);
        if (racers > 0) {
          racers--;
          version++;
          spec = { ...spec, Labels: { ...spec.Labels, other: String(version) } };
        }
        if (v !== version) throw outOfSequence();
        version++;
        spec = next;
      },
    },
  };
}

describe('updateService', () => {
  const addLabel = (s: ServiceSpec): ServiceSpec => ({ ...s, Labels: { ...s.Labels, ours: 'yes' } });

  it('writes with the version it read', async () => {
    const e = engine(0);
    assert.equal(await updateService(e.writer, addLabel), true);
    assert.deepEqual(e.writes, [10]);
  });

  it("re-reads after a conflict and keeps the other writer's change", async () => {
    const e = engine(2);
    assert.equal(await updateService(e.writer, addLabel), true);
    assert.deepEqual(e.writes, [10, 11, 12]);
    assert.deepEqual(e.spec().Labels, { other: '12', ours: 'yes' });
  });

  it('gives up after the bounded attempts with the conflict', async () => {
    const e = engine(99);
    await assert.rejects(updateService(e.writer, addLabel, 3), (err: unknown) => isOutOfSequence(err));
    assert.equal(e.writes.length, 3);
  });

  it('does not write when there is nothing to change', async () => {
    const e = engine(0);
    assert.equal(await updateService(e.writer, () => null), false);
    assert.deepEqual(e.writes, []);
  });

  it('does not retry other errors', async () => {
    const writer = { read: async () => ({ version: 1, spec: {} }), write: async () => Promise.reject(Object.assign(new Error('no such service'), { statusCode: 404 })) };
    let calls = 0;
    await assert.rejects(updateService(writer, (s) => (calls++, s)), /no such service/);
    assert.equal(calls, 1);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpec } from '../../src/manifest/service-spec.js';
import { upgradeStoredSpec } from '../../src/manifest/stored-spec.js';
import { addHistory, fastTrack, HISTORY_LIMIT, pinEndedBy, readPin, rollbackTarget, type HistoryEntry, type Pin } from '../../src/controller/history.js';

/** A spec reduced to what history compares (the whole object is compared as JSON). */
const spec = (image: string, replicas = 1): ServiceSpec => ({
  name: 'web', port: 80, versions: [{ name: image.split(':')[1]!, image, replicas }],
  rollout: { steps: [{ kind: 'setWeight', weight: 10 }], analysis: {}, progressDeadlineMs: 1000 },
} as unknown as ServiceSpec);
const entry = (revision: string, image: string, result: HistoryEntry['result'] = 'rolled out'): HistoryEntry =>
  ({ revision, at: '2026-01-01T00:00:00.000Z', versions: [`x=${image}`], result, spec: spec(image) });

const A = 'a'.repeat(40), B = 'b'.repeat(40), C = 'c'.repeat(40);

describe('revision history', () => {
  it('adds a revision whose manifest differs from the last', () => {
    assert.deepEqual(addHistory([entry(A, 'web:v1')], entry(B, 'web:v2')).map((e) => e.revision), [A, B]);
  });
  it('skips a commit that did not change this service', () => {
    assert.deepEqual(addHistory([entry(A, 'web:v1')], entry(B, 'web:v1')).map((e) => e.revision), [A]);
  });
  it('records a rollback to the same manifest as a new entry', () => {
    assert.deepEqual(addHistory([entry(A, 'web:v1')], entry(A, 'web:v1', 'rolled back')).map((e) => e.result), ['rolled out', 'rolled back']);
  });
  it(`keeps the newest ${HISTORY_LIMIT} entries`, () => {
    let h: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = addHistory(h, entry(String(i).padStart(40, '0'), `web:v${i}`));
    assert.equal(h.length, HISTORY_LIMIT);
    assert.equal(h[0]!.revision, '5'.padStart(40, '0'));
  });
});

describe('rollback target', () => {
  const history = [entry(A, 'web:v1'), entry(B, 'web:v2'), entry(C, 'web:v3', 'aborted')];
  const cases: Array<{ name: string; running: ServiceSpec; to: string | null; expected: string | RegExp }> = [
    { name: 'default: the last rollout that completed and differs from what runs', running: spec('web:v2'), to: null, expected: A },
    { name: 'default skips aborted revisions', running: spec('web:v3'), to: null, expected: B },
    { name: '--to an abbreviated commit', running: spec('web:v2'), to: 'aaaaaaa', expected: A },
    { name: '--to an aborted revision is allowed', running: spec('web:v2'), to: 'ccccccc', expected: C },
    { name: '--to too short', running: spec('web:v2'), to: 'aaa', expected: /at least 7 characters/ },
    { name: '--to an unknown commit', running: spec('web:v2'), to: 'deadbee', expected: /no revision deadbee/ },
    { name: 'nothing earlier', running: spec('web:v1'), to: null, expected: B },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = rollbackTarget(history, c.running, c.to);
      if (typeof c.expected === 'string') assert.equal(typeof got === 'string' ? got : got.revision, c.expected);
      else assert.match(got as string, c.expected);
    });
  }
  it('says so when no earlier revision rolled out', () => {
    assert.match(rollbackTarget([entry(A, 'web:v1')], spec('web:v1'), null) as string, /nothing to roll back to/);
  });
});

describe('pins', () => {
  const pin: Pin = { revision: A, at: '2026-01-01T00:00:00.000Z', spec: spec('web:v1'), manifest: spec('web:v2') };
  it('the fast track has no steps, and keeps everything else', () => {
    const fast = fastTrack(spec('web:v1'));
    assert.deepEqual(fast.rollout.steps, []);
    assert.deepEqual({ ...fast, rollout: { ...fast.rollout, steps: spec('web:v1').rollout.steps } }, spec('web:v1'));
  });
  it('a commit that leaves the manifest as it was keeps the pin', () => assert.equal(pinEndedBy(pin, spec('web:v2')), false));
  it('a commit that changes the manifest ends the pin', () => assert.equal(pinEndedBy(pin, spec('web:v2', 3)), true));
  it('a broken file (no valid manifest this load) keeps the pin', () => assert.equal(pinEndedBy(pin, undefined), false));
  it('reads a stored pin back, and ignores anything else', () => {
    // Read back in today's shape: the SPEC §8 fields a stored spec lacks are filled in.
    assert.deepEqual(readPin(JSON.parse(JSON.stringify(pin))), { ...pin, spec: upgradeStoredSpec(pin.spec), manifest: upgradeStoredSpec(pin.manifest) });
    assert.equal(readPin({ revision: A }), null);
    assert.equal(readPin(undefined), null);
  });
});

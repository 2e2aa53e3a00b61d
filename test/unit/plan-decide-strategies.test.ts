// What `dsr plan` shows for Rolling and Recreate: the same versions `dsr run` asks for (from the
// persisted state, through versionsToRun) and a line about the replacement.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import { decide } from '../../src/plan/decide.js';
import { trackVersion } from '../../src/rollout/versions.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH } from '../../src/manifest/defaults.js';
import type { ServiceSpec, Strategy, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutState, RolloutStatus } from '../../src/rollout/types.js';

const version = (name: string): VersionSpec => ({ name, image: `app:${name}`, replicas: 3, weight: 100, env: {}, command: null });
const service = (strategy: Strategy): ServiceSpec => ({
  ...STACK_FIELDS_ABSENT, strategy, name: 'db', port: null, health: { ...DEFAULT_HEALTH }, versions: [version('v2')],
  rollout: { steps: [], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 60_000 },
  gateway: { ...DEFAULT_GATEWAY }, stopGracePeriodMs: 10_000, source: { file: 'db.yaml', line: 1, column: 1 },
});
const TEMPLATE = { ...STACK_FIELDS_ABSENT, port: null };
const STABLE = trackVersion(TEMPLATE, version('v1'), null);
const rollout = (stepIndex: number): RolloutStatus => ({
  phase: 'Progressing', revision: 'r', canary: trackVersion(TEMPLATE, version('v2'), 'v1'), stepIndex, weight: 0, startedAt: 0, stepStartedAt: 0,
  pausedByUser: false, analysis: { lastCheckAt: 0, failures: 0, history: [] }, abortReason: null, promotedStep: null,
});

describe('decide (dsr plan) with Rolling and Recreate', () => {
  const cases: Array<{ name: string; strategy: Strategy; state: RolloutState; versions: string[]; note: string }> = [
    {
      name: 'Rolling, not started: one new instance beside the old', strategy: 'Rolling', state: { stable: STABLE, rollout: null }, versions: ['v1×3', 'v2×1'],
      note: 'rolling v1 → v2 starts: one new instance at a time; each old one is drained and removed once a new one is healthy',
    },
    {
      name: 'Rolling, one new healthy', strategy: 'Rolling', state: { stable: STABLE, rollout: rollout(1) }, versions: ['v1×2', 'v2×2'],
      note: 'rolling v1 → v2 in progress: 1 of 3 new instance(s) healthy; DSR advances it',
    },
    {
      name: 'Recreate, not started: the old ones stop first, nothing new yet', strategy: 'Recreate', state: { stable: STABLE, rollout: null }, versions: ['v1×0'],
      note: 'recreate v1 → v2 starts: every v1 instance is drained and stopped first, then 3 of v2 start',
    },
    {
      name: 'Recreate, starting the new ones', strategy: 'Recreate', state: { stable: STABLE, rollout: rollout(1) }, versions: ['v2×3'],
      note: 'recreate v1 → v2 in progress: starting v2; DSR advances it',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { desired, rollout: note } = decide(service(c.strategy), c.state, []);
      assert.deepEqual(desired.versions.map((v) => `${v.name}×${v.replicas}`), c.versions);
      assert.equal(note, c.note);
    });
  }
});

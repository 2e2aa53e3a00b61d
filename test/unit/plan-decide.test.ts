// What `dsr plan` shows per service: run's version decision, and a line about the rollout.
import { describe, it } from 'node:test';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import assert from 'node:assert/strict';
import { decide } from '../../src/plan/decide.js';
import { trackVersion } from '../../src/rollout/versions.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH } from '../../src/manifest/defaults.js';
import type { ServiceSpec, VersionSpec } from '../../src/manifest/service-spec.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import type { RolloutState, RolloutStatus } from '../../src/rollout/types.js';

const version = (name: string, image: string): VersionSpec => ({ name, image, replicas: 1, weight: 100, env: {}, command: null });
const service = (versions: VersionSpec[]): ServiceSpec => ({
  name: 'web', port: 80, health: { ...DEFAULT_HEALTH }, ...STACK_FIELDS_ABSENT, versions,
  rollout: { steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause', durationMs: null }], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 60_000 },
  gateway: { ...DEFAULT_GATEWAY }, stopGracePeriodMs: 10_000, source: { file: 'web.yaml', line: 1, column: 1 },
});
const V1 = version('v1', 'app:1');
const V2 = version('v2', 'app:2');
const STABLE = trackVersion({ port: 80, ...STACK_FIELDS_ABSENT }, V1, null);
const rollout = (over: Partial<RolloutStatus>): RolloutStatus => ({
  phase: 'Progressing', revision: 'r', canary: trackVersion({ port: 80, ...STACK_FIELDS_ABSENT }, V2, 'v1'), stepIndex: 0, weight: 0, startedAt: 0, stepStartedAt: 0,
  pausedByUser: false, analysis: { lastCheckAt: 0, failures: 0, history: [] }, abortReason: null, promotedStep: null, ...over,
});
const running = (version: string, hash: string): ObservedContainer => ({
  id: `${version}-1`, name: `dsr-web-${version}-1`, service: 'web', version, index: 1, specHash: hash, state: 'running',
  createdAt: '', exitCode: null, address: null, image: '',
});

describe('decide (dsr plan)', () => {
  const cases: Array<{ name: string; svc: ServiceSpec; state: RolloutState; observed?: ObservedContainer[]; versions: string[]; note: RegExp | null }> = [
    { name: 'steady: no rollout line', svc: service([V1]), state: { stable: STABLE, rollout: null }, versions: ['v1:100'], note: null },
    {
      name: 'a committed v2 starts a canary beside v1',
      svc: service([V2]), state: { stable: STABLE, rollout: null }, versions: ['v1:100', 'v2:0'],
      note: /^rollout v1 → v2 starts: v2 comes up beside v1 at 0%, then 2 step\(s\); v1 is removed at the end$/,
    },
    {
      name: 'a rollout paused at step 2 is in progress',
      svc: service([V2]), state: { stable: STABLE, rollout: rollout({ phase: 'Paused', stepIndex: 1, weight: 20 }) }, versions: ['v1:80', 'v2:20'],
      note: /^rollout v1 → v2 in progress: step 2\/2, 20% to v2; DSR advances it$/,
    },
    {
      name: 'an aborted rollout says how to retry',
      svc: service([V2]), state: { stable: STABLE, rollout: rollout({ phase: 'Aborted', abortReason: 'analysis failed' }) }, versions: ['v1:100'],
      note: /^rollout of v2 aborted \(analysis failed\); v1 keeps 100% \(dsr retry web to try again\)$/,
    },
    {
      name: 'no state but v1 running: as a first start (v1 steady)',
      svc: service([V1]), state: { stable: null, rollout: null }, observed: [running('v1', STABLE.specHash)], versions: ['v1:100'], note: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(c.svc, c.state, c.observed ?? []);
      assert.deepEqual(d.desired.versions.map((v) => `${v.name}:${v.weight}`), c.versions);
      if (c.note === null) assert.equal(d.rollout, null);
      else assert.match(d.rollout ?? '(none)', c.note);
    });
  }
});

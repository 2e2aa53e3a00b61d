// versionsToRun: the one decision of which versions run, shared by `dsr run` and `dsr plan`.
import { describe, it } from 'node:test';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import assert from 'node:assert/strict';
import { versionsToRun } from '../../src/rollout/versions-to-run.js';
import { stepRollout } from '../../src/rollout/machine.js';
import { trackVersion } from '../../src/rollout/versions.js';
import { versionHash } from '../../src/plan/wanted.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH, DEFAULT_ROLLOUT_STEPS } from '../../src/manifest/defaults.js';
import type { ServiceSpec, VersionSpec } from '../../src/manifest/service-spec.js';
import type { RolloutState, RolloutStatus } from '../../src/rollout/types.js';

function version(name: string, image: string, replicas: number, weight = 100): VersionSpec {
  return { name, image, replicas, weight, env: {}, command: null };
}

function service(versions: VersionSpec[]): ServiceSpec {
  return {
    name: 'web',
    port: 80,
    health: { ...DEFAULT_HEALTH }, ...STACK_FIELDS_ABSENT,
    versions,
    rollout: { steps: [...DEFAULT_ROLLOUT_STEPS], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 120_000 },
    gateway: { ...DEFAULT_GATEWAY },
    stopGracePeriodMs: 10_000,
    source: { file: 'web.yaml', line: 1, column: 1 },
  };
}

const PORT = { port: 80, ...STACK_FIELDS_ABSENT };
const V1 = version('v1', 'app:1', 2);
const V2 = version('v2', 'app:2', 1);
const V3 = version('v3', 'app:3', 1);
const V1B = version('v1', 'app:1b', 2);
const STABLE = trackVersion(PORT, V1, null);
const CANARY = trackVersion(PORT, V2, 'v1');
const V1B_ID = `v1-${versionHash(PORT, V1B).slice(0, 6)}`;
/** The stable after a completed same-name rollout of V1B. */
const HASHED_STABLE = trackVersion(PORT, V1B, 'v1');

function rollout(over: Partial<RolloutStatus> = {}): RolloutStatus {
  return {
    phase: 'Progressing', revision: 'r2', canary: CANARY, stepIndex: 0, weight: 0, startedAt: 0, stepStartedAt: 0,
    pausedByUser: false, analysis: { lastCheckAt: 0, failures: 0, history: [] }, abortReason: null, promotedStep: null, ...over,
  };
}

interface Case {
  name: string;
  svc: ServiceSpec;
  state: RolloutState;
  /** Running instances per version id (only consulted with no stable recorded). */
  running?: Record<string, number>;
  /** `id:weight%xreplicas`. */
  want: string[];
}

const cases: Case[] = [
  { name: 'first deploy: the single version at 100%', svc: service([V1]), state: { stable: null, rollout: null }, want: ['v1:100%x2'] },
  {
    name: 'no state, only hashed instances running (a same-name rollout whose state was lost): adopts them',
    svc: service([V1B]), state: { stable: null, rollout: null }, running: { [V1B_ID]: 2 }, want: [`${V1B_ID}:100%x2`],
  },
  { name: 'steady: the stable at 100%', svc: service([V1]), state: { stable: STABLE, rollout: null }, want: ['v1:100%x2'] },
  {
    name: 'replicas-only change scales the stable in place',
    svc: service([{ ...V1, replicas: 3 }]), state: { stable: STABLE, rollout: null }, want: ['v1:100%x3'],
  },
  {
    name: 'after a completed same-name rollout the hashed stable stays (no change reported forever)',
    svc: service([V1B]), state: { stable: HASHED_STABLE, rollout: null }, want: [`${V1B_ID}:100%x2`],
  },
  {
    name: 'v1 → v2 committed, no rollout yet: v1 keeps 100% and v2 starts at 0% (never a removal of v1)',
    svc: service([V2]), state: { stable: STABLE, rollout: null }, want: ['v1:100%x2', 'v2:0%x1'],
  },
  {
    name: 'same name, other image: a hashed canary beside the stable',
    svc: service([V1B]), state: { stable: STABLE, rollout: null }, want: ['v1:100%x2', `${V1B_ID}:0%x2`],
  },
  {
    name: 'rollout at 20%: the weights of the persisted step',
    svc: service([V2]), state: { stable: STABLE, rollout: rollout({ stepIndex: 1, weight: 20 }) }, want: ['v1:80%x2', 'v2:20%x1'],
  },
  {
    name: 'canary replicas changed mid-rollout: the manifest\'s replicas, same weight',
    svc: service([{ ...V2, replicas: 3 }]), state: { stable: STABLE, rollout: rollout({ weight: 50 }) }, want: ['v1:50%x2', 'v2:50%x3'],
  },
  {
    name: 'paused rollout keeps its weights',
    svc: service([V2]), state: { stable: STABLE, rollout: rollout({ phase: 'Paused', weight: 50 }) }, want: ['v1:50%x2', 'v2:50%x1'],
  },
  {
    name: 'aborted rollout: the stable alone at 100%',
    svc: service([V2]), state: { stable: STABLE, rollout: rollout({ phase: 'Aborted', weight: 0, abortReason: 'x' }) }, want: ['v1:100%x2'],
  },
  {
    name: 'another version replaces the one in flight: a new canary at 0%',
    svc: service([V3]), state: { stable: STABLE, rollout: rollout({ weight: 20 }) }, want: ['v1:100%x2', 'v3:0%x1'],
  },
  {
    name: 'another version after an aborted one: a new canary at 0%',
    svc: service([V3]), state: { stable: STABLE, rollout: rollout({ phase: 'Aborted' }) }, want: ['v1:100%x2', 'v3:0%x1'],
  },
  {
    name: 'reverted to the stable mid-rollout: the stable alone at 100%',
    svc: service([V1]), state: { stable: STABLE, rollout: rollout({ weight: 50 }) }, want: ['v1:100%x2'],
  },
  {
    name: 'static split: as written, whatever the state',
    svc: service([version('a', 'app:a', 1, 70), version('b', 'app:b', 2, 30)]), state: { stable: STABLE, rollout: rollout() },
    want: ['a:70%x1', 'b:30%x2'],
  },
];

const render = (versions: ReturnType<typeof versionsToRun>): string[] => versions.map((v) => `${v.name}:${v.weight}%x${v.replicas}`);

describe('versionsToRun', () => {
  for (const c of cases) {
    it(c.name, () => {
      const running = c.running ?? {};
      assert.deepEqual(render(versionsToRun(c.svc, c.state, (id) => running[id] ?? 0)), c.want);
    });
  }

  it('is exactly what the rollout machine runs on its next pass when nothing is ready yet', () => {
    for (const c of cases) {
      const running = c.running ?? {};
      const ready = (id: string): number => running[id] ?? 0;
      const next = stepRollout({
        service: c.svc, revision: 'r2', state: c.state, ready, command: null, now: 0,
        sample: () => ({ requests: 0, errors: 0, latencyP99Ms: null }), inFlight: () => 0,
      });
      assert.deepEqual(render(next.versions), c.want, c.name);
    }
  });
});

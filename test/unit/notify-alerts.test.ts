import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DsrEvent } from '../../src/events/types.js';
import type { Alert } from '../../src/notify/alert.js';
import { initialAlertState, nextDueAt, onEvent, tick, type AlertState } from '../../src/notify/alerts.js';

const S = 1_000;
const MIN = 60 * S;
const COMMIT = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';

type Fields = Partial<Omit<DsrEvent, 'id' | 'kind' | 'time'>>;
type Step = [at: number, what: [kind: string, fields?: Fields] | 'tick'];

/** Runs the steps through alerts.ts with ids from 1, returning every alert raised. */
function run(steps: Step[]): { alerts: Alert[]; state: AlertState } {
  let state = initialAlertState();
  const alerts: Alert[] = [];
  let id = 0;
  for (const [at, what] of steps) {
    const step = what === 'tick'
      ? tick(state, at)
      : onEvent(state, {
        id: ++id, time: new Date(at).toISOString(), kind: what[0], service: 'web', version: 'v1', revision: COMMIT,
        message: `${what[0]} happened`, data: {}, ...what[1],
      }, at);
    state = step.state;
    alerts.push(...step.alerts);
  }
  return { alerts, state };
}

const failed = (n: number, reason = 'container exited with code 1', extra: Fields = {}): [string, Fields] =>
  ['instance.failed', { data: { container: `dsr-web-v1-${n}`, containerId: `c${n}`, reason }, ...extra }];
const aborted = (version = 'v2'): [string, Fields] =>
  ['rollout.aborted', { version, data: { reason: 'analysis failed: error rate 12% above 5%', step: 2, weight: 25, stable: 'v1' } }];
const invalid = (file: string, revision: string | null): [string, Fields] =>
  ['manifest.invalid', { revision, service: null, data: { file, services: ['web'], errors: [{ file, line: 10, column: 5, path: 'spec.versions[0].replicas', message: 'must be >= 1' }] } }];

describe('alerts: one alert per incident', () => {
  const cases: Array<{ name: string; steps: Step[]; subjects: string[]; eventIds?: number[][] }> = [
    {
      name: 'ten instance failures of one version in a minute are one alert',
      steps: [...Array.from({ length: 10 }, (_, i): Step => [i * 6 * S, failed(i + 1)]), [MIN, 'tick']],
      subjects: ['web/v1: 10 instances replaced in 1 min'],
      eventIds: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    },
    {
      name: 'failures are not reported before their window closes',
      steps: [[0, failed(1)], [59 * S, 'tick']],
      subjects: [],
    },
    {
      name: 'a single failure names the instance',
      steps: [[0, failed(1)], [MIN, 'tick']],
      subjects: ['web/v1: instance dsr-web-v1-1 failed and was replaced'],
    },
    {
      name: 'a failure after the alert but inside the quiet period is the same incident',
      steps: [[0, failed(1)], [MIN, 'tick'], [2 * MIN, failed(2)], [9 * MIN, failed(3)], [12 * MIN, 'tick']],
      subjects: ['web/v1: instance dsr-web-v1-1 failed and was replaced'],
    },
    {
      name: 'a failure after ten quiet minutes is a new incident',
      steps: [[0, failed(1)], [MIN, 'tick'], [11 * MIN, failed(2)], [12 * MIN, 'tick']],
      subjects: ['web/v1: instance dsr-web-v1-1 failed and was replaced', 'web/v1: instance dsr-web-v1-2 failed and was replaced'],
    },
    {
      name: 'failures of two versions are two incidents',
      steps: [[0, failed(1)], [S, ['instance.failed', { version: 'v2', data: { container: 'dsr-web-v2-1', reason: 'container exited with code 1' } }]], [MIN + S, 'tick']],
      subjects: ['web/v1: instance dsr-web-v1-1 failed and was replaced', 'web/v2: instance dsr-web-v2-1 failed and was replaced'],
    },
    {
      name: 'an aborted rollout alerts at once',
      steps: [[0, aborted()]],
      subjects: ['web/v2: rollout aborted (analysis failed: error rate 12% above 5%)'],
    },
    {
      name: 'the same abort recorded twice alerts once',
      steps: [[0, aborted()], [S, aborted()]],
      subjects: ['web/v2: rollout aborted (analysis failed: error rate 12% above 5%)'],
    },
    {
      name: 'an abort after a retry is a new incident',
      steps: [[0, aborted()], [MIN, ['rollout.retried', { version: 'v2' }]], [2 * MIN, aborted()]],
      subjects: ['web/v2: rollout aborted (analysis failed: error rate 12% above 5%)', 'web/v2: rollout aborted (analysis failed: error rate 12% above 5%)'],
    },
    {
      name: 'a failed pull and the reconcile error it causes are one degraded alert',
      steps: [[0, ['image.pull-failed', { data: { image: 'web:v9', error: 'manifest unknown' } }]], [S, ['reconcile.error', { version: null, data: { errors: ['pull web:v9'] } }]]],
      subjects: ['web: degraded: image web:v9 cannot be pulled'],
    },
    {
      name: 'an action stopped on a terminal error is a degraded alert saying a person must act',
      steps: [[0, ['reconcile.blocked', { data: { advice: 'a container named dsr-web-v1-1 exists and is not DSR\'s: remove or rename it', error: 'create dsr-web-v1-1: taken' } }]]],
      subjects: ['web: degraded: needs a person'],
    },
    {
      name: 'a crash loop backing off every 5 minutes for an hour is one degraded alert',
      steps: Array.from({ length: 12 }, (_, i): Step => [i * 5 * MIN, ['instance.backoff', { data: { failures: i + 2 } }]]),
      subjects: ['web/v1: degraded: instances keep failing'],
    },
    {
      name: 'degraded again after the service synced is a new incident',
      steps: [[0, ['reconcile.error', {}]], [MIN, ['service.synced', {}]], [2 * MIN, ['reconcile.error', {}]]],
      subjects: ['web: degraded: DSR cannot apply its manifest', 'web: degraded: DSR cannot apply its manifest'],
    },
    {
      name: 'an invalid manifest alerts once per file per revision',
      steps: [[0, invalid('web.yaml', 'r1')], [S, invalid('web.yaml', 'r1')], [2 * S, invalid('api.yaml', 'r1')], [3 * S, invalid('web.yaml', 'r2')]],
      subjects: ['manifest web.yaml is invalid at r1', 'manifest api.yaml is invalid at r1', 'manifest web.yaml is invalid at r2'],
    },
    {
      name: 'a file fixed and broken again alerts again even without a new revision',
      steps: [[0, invalid('web.yaml', null)], [S, ['manifest.loaded', { data: { invalidFiles: [] } }]], [2 * S, invalid('web.yaml', null)]],
      subjects: ['manifest web.yaml is invalid at an unknown commit', 'manifest web.yaml is invalid at an unknown commit'],
    },
    {
      name: 'Docker unavailable alerts once, and the resolved note follows once it stayed back a minute',
      steps: [[0, ['docker.unavailable', { data: { error: 'connect ENOENT /var/run/docker.sock' } }]], [10 * S, ['docker.unavailable', {}]],
        [2 * MIN, ['docker.available', {}]], [2 * MIN + 59 * S, 'tick'], [3 * MIN, 'tick']],
      subjects: ['Docker engine unavailable: DSR cannot reconcile', 'resolved: Docker engine reachable again (down 2 min)'],
      eventIds: [[1], [1, 3]],
    },
    {
      name: 'Docker going away again before the resolved note is the same incident',
      steps: [[0, ['docker.unavailable', {}]], [10 * S, ['docker.available', {}]], [20 * S, ['docker.unavailable', {}]], [2 * MIN, 'tick'],
        [5 * MIN, ['docker.available', {}]], [6 * MIN, 'tick']],
      subjects: ['Docker engine unavailable: DSR cannot reconcile', 'resolved: Docker engine reachable again (down 5 min)'],
    },
    {
      name: 'Docker available without an alerted outage says nothing',
      steps: [[0, ['docker.available', {}]], [2 * MIN, 'tick']],
      subjects: [],
    },
    {
      name: 'events that are no incident raise nothing',
      steps: [[0, ['instance.created', {}]], [S, ['rollout.weight', {}]], [2 * S, ['instance.unhealthy', { data: { containerId: 'c1', error: 'GET /healthz: 500' } }]], [MIN, 'tick']],
      subjects: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { alerts } = run(c.steps);
      assert.deepEqual(alerts.map((a) => a.subject), c.subjects);
      if (c.eventIds) assert.deepEqual(alerts.map((a) => a.eventIds), c.eventIds);
    });
  }

  it('leaves the state untouched by events it does not care about', () => {
    const state = initialAlertState();
    const step = onEvent(state, { id: 1, time: '', kind: 'image.progress', service: 'web', version: 'v1', revision: null, message: '', data: {} }, 0);
    assert.equal(step.state, state);
  });

  it('asks to be ticked when the first failure window closes', () => {
    const { state } = run([[5 * S, failed(1)], [20 * S, failed(2)]]);
    assert.equal(nextDueAt(state), 65 * S);
    assert.equal(nextDueAt(tick(state, 65 * S).state), null);
  });

  it('sends collected failures at once when flushed on shutdown', () => {
    const { state } = run([[0, failed(1)], [S, failed(2)]]);
    assert.deepEqual(tick(state, 2 * S, undefined, true).alerts.map((a) => a.subject), ['web/v1: 2 instances replaced in 1 min']);
  });
});

describe('alerts: a person can act on the text', () => {
  const only = (steps: Step[]): Alert => {
    const { alerts } = run(steps);
    assert.equal(alerts.length, 1);
    return alerts[0]!;
  };

  it('an aborted rollout says what, why, where, under which commit, and suggests dsr retry', () => {
    const a = only([[0, aborted()]]);
    assert.equal(a.key, 'rollout.aborted:web/v2');
    assert.equal(a.severity, 'warning');
    assert.equal(a.revision, COMMIT);
    assert.match(a.text, /The rollout of web v2 \(commit a1b2c3d4e5f6\) was aborted at step 3 with 25% of traffic on it\. All traffic is back on v1\./);
    assert.match(a.text, /analysis failed: error rate 12% above 5%/);
    assert.match(a.text, /Where: service web, version v2, commit a1b2c3d4e5f6/);
    assert.match(a.text, /run "dsr retry web" to roll v2 out again/);
    assert.match(a.text, /DSR events: #1 \(dsr events --service web\)/);
  });

  it('an invalid manifest points at the file and line to fix', () => {
    const a = only([[0, invalid('web.yaml', COMMIT)]]);
    assert.match(a.text, /web\.yaml is invalid at commit a1b2c3d4e5f6; web stays at the last valid state\./);
    assert.match(a.text, /line 10, column 5: spec\.versions\[0\]\.replicas: must be >= 1/);
    assert.match(a.text, /fix web\.yaml line 10 \(spec\.versions\[0\]\.replicas\) and commit/);
  });

  it('a failed pull says which image and how to provide it', () => {
    const a = only([[0, ['image.pull-failed', { data: { image: 'registry.local/web:v9', error: 'manifest unknown' } }]]]);
    assert.equal(a.severity, 'error');
    assert.match(a.text, /manifest unknown/);
    assert.match(a.text, /docker build -t registry\.local\/web:v9 \./);
  });

  it('a failed health check carries the last probe error and a hint', () => {
    const a = only([
      [0, ['instance.unhealthy', { data: { containerId: 'c1', container: 'dsr-web-v1-1', error: 'GET /healthz answered 503' } }]],
      [S, failed(1, 'failed its health checks')],
      [MIN + S, 'tick'],
    ]);
    assert.match(a.text, /dsr-web-v1-1: failed its health checks \(last check: GET \/healthz answered 503\)/);
    assert.match(a.text, /stopped answering its health check/);
  });

  it('exit code 137 is explained as out of memory, once for many instances', () => {
    const a = only([[0, failed(1, 'container exited with code 137')], [S, failed(2, 'container exited with code 137')], [MIN, 'tick']]);
    assert.equal(a.text.match(/out-of-memory killer/g)?.length, 1);
    assert.match(a.text, /2 instances of web\/v1 failed within 1 min/);
  });

  it('Docker unavailable says what still works and what to check', () => {
    const a = only([[0, ['docker.unavailable', { service: null, version: null, data: { error: 'connect ENOENT /var/run/docker.sock' } }]]]);
    assert.equal(a.severity, 'critical');
    assert.match(a.text, /connect ENOENT \/var\/run\/docker\.sock/);
    assert.match(a.text, /systemctl status docker/);
  });
});

// Terminal errors against the real engine: a container DSR does not own holds the name of an
// instance. DSR must not retry the creation forever: the service turns Degraded saying what to
// do, one event records it, and a manifest change or `dsr retry` (after the person acted) resumes.
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import type { InstanceSpec, ObservedContainer } from '../../src/runtime/runtime.js';
import { containerName } from '../../src/runtime/names.js';
import { describeDocker, testLabels } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import { manifest } from '../helpers/git-repo.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Counts creation attempts, so the test can tell "stopped" from "retrying quietly". */
class CountingRuntime extends DockerRuntime {
  creates = 0;
  override create(spec: InstanceSpec): Promise<ObservedContainer> {
    this.creates++;
    return super.create(spec);
  }
}

describeDocker('terminal errors', (env) => {
  let h: Harness | undefined;
  let runtime!: CountingRuntime;
  after(async () => {
    await h?.dispose();
  });

  it('a foreign container holding an instance name blocks that creation once, says what to do, and dsr retry resumes', async () => {
    const name = containerName(env.owner, 'web', 'v1', 1);
    // Not DSR's: no dsr.* labels (only the test's, so cleanup finds it), not started.
    const foreign = await env.docker.createContainer({ name, Image: 'dsr-test-web:v1', Labels: testLabels(env.owner) });
    h = await startHarness({ 'web.yaml': manifest('web', { replicas: 1 }) }, {
      owner: env.owner,
      runtime: (owner) => (runtime = new CountingRuntime({ docker: env.docker, mode: 'host', owner })),
    });
    const controller = h.controller;
    const degraded = await waitFor('web Degraded with advice', () => {
      const s = controller.status('web');
      return s?.phase === 'Degraded' && s.blocked.length === 1 ? s : null;
    }, 30_000);
    assert.match(degraded.message, new RegExp(`needs a person: a container named ${name} exists and is not DSR's: remove or rename it \\(docker rm -f ${name}\\), then run \`dsr retry web\``));

    // Several resyncs (every 2 s in the harness) and health passes later: no second attempt, one event.
    const attempts = runtime.creates;
    await sleep(5_000);
    assert.equal(runtime.creates, attempts, 'the blocked creation is not retried');
    assert.equal(attempts, 1);
    const blocked = await h.eventsOf('reconcile.blocked', 'web');
    assert.equal(blocked.length, 1, 'one event');
    assert.match(blocked[0]!.message, /create web\/v1#1 .* stopped: a container named .* exists and is not DSR's/);
    assert.equal((await h.eventsOf('reconcile.error', 'web')).length, 0, 'not reported as a retryable error');

    // A change of the manifest clears the block: the creation is tried again (and blocked again,
    // with one more event), while the rest of the change applies.
    h.repo.write('web.yaml', manifest('web', { replicas: 2 }));
    h.repo.commit('web: 2 replicas');
    const again = await waitFor('a second blocked event', async () => {
      const events = await h!.eventsOf('reconcile.blocked', 'web');
      return events.length === 2 ? events : null;
    }, 30_000);
    assert.match(again[1]!.message, /^create web\/v1#1 /);
    await waitFor('web/v1#2 running', async () => (await h!.containers((c) => c.index === 2 && c.state === 'running')).length === 1, 30_000);
    assert.equal(controller.status('web')!.phase, 'Degraded');

    // The person removes the container and asks DSR to retry.
    await foreign.remove({ force: true });
    await controller.command('web', { type: 'retry' });
    await h.waitHealthy('web', 2);
    assert.deepEqual(controller.status('web')!.blocked, []);
    await assert.rejects(controller.command('web', { type: 'retry' }), /nothing to retry: .*no action is blocked/);
  });
});

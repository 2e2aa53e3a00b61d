// The reconciler against the real Docker engine: each case drives DSR with git commits or by
// breaking containers behind its back, and asserts the state Docker ends up in.
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describeDocker } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import { manifest } from '../helpers/git-repo.js';
import { sleep, waitFor } from '../helpers/wait.js';

const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();

describeDocker('reconciler', () => {
  const harnesses: Harness[] = [];
  const start = async (...args: Parameters<typeof startHarness>): Promise<Harness> => {
    const h = await startHarness(...args);
    harnesses.push(h);
    return h;
  };
  after(async () => {
    for (const h of harnesses) await h.dispose();
  });

  it('cold-starts 3 services with 2 replicas each, all healthy, with an event per container', async () => {
    const h = await start({
      'a.yaml': manifest('alpha', { replicas: 2 }),
      'b.yaml': manifest('beta', { replicas: 2 }),
      'c.yaml': manifest('gamma', { replicas: 2, image: 'dsr-test-web:v2' }),
    });
    for (const s of ['alpha', 'beta', 'gamma']) await h.waitHealthy(s, 2);
    const all = await h.containers();
    assert.equal(all.length, 6);
    assert.deepEqual(all.map((c) => c.name).filter((n) => n.includes('alpha')), [`dsr-${h.owner}-alpha-v1-1`, `dsr-${h.owner}-alpha-v1-2`]);
    const created = await h.eventsOf('instance.created');
    assert.equal(created.length, 6);
    assert.ok(created.every((e) => e.revision === h.repo.head()), 'every event carries the commit id');
    await h.dispose();
  });

  it('scales 2 -> 5 -> 1 on commits, keeping the instances that stay', async () => {
    const h = await start({ 'web.yaml': manifest('web', { replicas: 2 }) });
    const two = await h.waitHealthy('web', 2);
    h.repo.write('web.yaml', manifest('web', { replicas: 5 }));
    h.repo.commit('scale to 5');
    const five = await h.waitHealthy('web', 5);
    for (const c of two) assert.ok(five.some((f) => f.id === c.id), `${c.name} survived the scale-up`);
    h.repo.write('web.yaml', manifest('web', { replicas: 1 }));
    h.repo.commit('scale to 1');
    const one = await h.waitHealthy('web', 1);
    assert.equal(one[0]!.id, two[0]!.id, 'scale-down keeps the lowest index');
    await h.dispose();
  });

  it('replaces an instance removed with docker rm -f, and the event says why', async () => {
    const h = await start({ 'web.yaml': manifest('web', { replicas: 2 }) });
    const [victim] = await h.waitHealthy('web', 2);
    docker('rm', '-f', victim!.id);
    const after2 = await h.waitHealthy('web', 2);
    assert.ok(!after2.some((c) => c.id === victim!.id));
    const replaced = await waitFor('an instance.created/replaced event after the removal', async () =>
      (await h.eventsOf('instance.')).filter((e) => e.kind === 'instance.replaced' || (e.kind === 'instance.created' && e.id > 2)).at(-1));
    assert.match(replaced.message, /replace|start|running/);
    await h.dispose();
  });

  it('replaces every instance of a service after docker stop of all of them', async () => {
    const h = await start({ 'web.yaml': manifest('web', { replicas: 2 }) });
    const before = await h.waitHealthy('web', 2);
    docker('stop', '-t', '1', ...before.map((c) => c.id));
    const now = await h.waitHealthy('web', 2, 40_000);
    assert.ok(now.every((c) => !before.some((b) => b.id === c.id)));
    const failed = await h.eventsOf('instance.failed', 'web');
    assert.ok(failed.length >= 2, `instance.failed events: ${failed.length}`);
    assert.match(failed[0]!.message, /exited/);
    await h.dispose();
  });

  it('replaces an instance whose health endpoint turns unhealthy after exactly failureThreshold failures', async () => {
    const h = await start({ 'web.yaml': manifest('web', { replicas: 1, interval: '500ms' }) });
    const [sick] = await h.waitHealthy('web', 1);
    docker('exec', sick!.id, 'sh', '-c', 'echo \'{"status":"unhealthy"}\' > /www/health');
    const event = await waitFor('instance.unhealthy', async () => (await h.eventsOf('instance.unhealthy', 'web'))[0]);
    assert.equal(event.data.failures, 3);
    const now = await h.waitHealthy('web', 1);
    assert.notEqual(now[0]!.id, sick!.id);
    await h.dispose();
  });

  it('backs off replacing a crash-looping image instead of hot-looping', async () => {
    const h = await start({ 'crash.yaml': manifest('crash', { replicas: 1, image: 'dsr-test-web:crash' }) });
    await sleep(12_000);
    const starts = (await h.eventsOf('instance.', 'crash')).filter((e) => e.kind === 'instance.created' || e.kind === 'instance.replaced');
    // Immediate first replacement, then 10 s: at most 3 starts in 12 s (a hot loop would make dozens).
    assert.ok(starts.length >= 2 && starts.length <= 3, `starts in 12 s: ${starts.length}`);
    const backoff = await h.eventsOf('instance.backoff', 'crash');
    assert.ok(backoff.length >= 1, 'the back-off is recorded as an event');
    const status = h.controller.status('crash')!;
    assert.equal(status.phase, 'Degraded');
    assert.match(status.backoff ?? '', /back/);
    await h.dispose();
  });

  it('leaves running containers untouched when a commit makes the manifest invalid', async () => {
    const h = await start({ 'web.yaml': manifest('web', { replicas: 2 }), 'api.yaml': manifest('api') });
    const before = await h.waitHealthy('web', 2);
    await h.waitHealthy('api', 1);
    h.repo.write('web.yaml', manifest('web', { replicas: 2 }).replace('replicas: 2', 'replicas: two'));
    h.repo.write('api.yaml', manifest('api', { replicas: 2 }));
    const bad = h.repo.commit('typo');
    const invalid = await waitFor('manifest.invalid', async () => (await h.eventsOf('manifest.invalid')).find((e) => e.revision === bad));
    assert.match(invalid.message, /web\.yaml:\d+:\d+/);
    await h.waitHealthy('api', 2); // the valid file still applies
    await sleep(1500);
    const now = await h.containers((c) => c.service === 'web');
    assert.deepEqual(now.map((c) => c.id), before.map((c) => c.id));
    assert.equal(h.controller.status('web')!.phase, 'Invalid');
    await h.dispose();
  });

  it('removes only the service whose manifest was deleted', async () => {
    const h = await start({ 'web.yaml': manifest('web'), 'api.yaml': manifest('api') });
    const web = await h.waitHealthy('web', 1);
    await h.waitHealthy('api', 1);
    h.repo.git('rm', '-q', 'api.yaml');
    h.repo.commit('delete api');
    await waitFor('api removed', async () => (await h.containers((c) => c.service === 'api')).length === 0);
    assert.deepEqual((await h.containers()).map((c) => c.id), web.map((c) => c.id));
    await h.dispose();
  });

  it('refuses to prune everything when the folder declares no service (prune.blocked)', async () => {
    const h = await start({ 'web.yaml': manifest('web') });
    const web = await h.waitHealthy('web', 1);
    h.repo.git('rm', '-q', 'web.yaml');
    const empty = h.repo.commit('delete everything');
    await waitFor('prune.blocked', async () => (await h.eventsOf('prune.blocked')).find((e) => e.revision === empty));
    assert.deepEqual((await h.containers()).map((c) => c.id), web.map((c) => c.id));
    await h.dispose();
  });

  it('adopts everything on a restart, even with --allow-empty, before and after the first load', async () => {
    const first = await start({ 'web.yaml': manifest('web', { replicas: 2 }) }, { allowEmpty: true });
    const before = await first.waitHealthy('web', 2);
    await first.stop();
    // Same repository, data and owner: a restarted DSR whose first Docker event may come before
    // its first load must not read the empty initial state as "remove everything".
    const second = await start({}, { allowEmpty: true, repo: first.repo, dataDir: first.dataDir, owner: first.owner });
    await second.waitHealthy('web', 2);
    await sleep(1500);
    assert.deepEqual((await second.containers()).map((c) => c.id), before.map((c) => c.id));
    assert.equal((await second.eventsOf('instance.removed')).length, 0);
    await second.stop();
    await first.dispose();
  });

  it('keeps the containers of a service whose name is mistyped in a commit', async () => {
    const h = await start({ 'web.yaml': manifest('web'), 'api.yaml': manifest('api') });
    const web = await h.waitHealthy('web', 1);
    h.repo.write('web.yaml', manifest('Web'));
    const typo = h.repo.commit('typo in the name');
    await waitFor('manifest.invalid', async () => (await h.eventsOf('manifest.invalid')).find((e) => e.revision === typo));
    await sleep(1500);
    assert.deepEqual((await h.containers((c) => c.service === 'web')).map((c) => c.id), web.map((c) => c.id));
    assert.equal(h.controller.status('web')!.phase, 'Invalid');
    await h.dispose();
  });
});

// Docker going away under a running DSR (SPEC §3): DSR keeps running and reporting, retries, and
// reconciles when the engine is back, keeping the containers that survived. This test stops and
// starts the machine's dockerd, so it runs only where it may (CI sets DSR_TEST_DOCKERD_RESTART=1,
// and scripts/ensure-docker.sh started dockerd itself).
import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { describeDocker } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import { manifest } from '../helpers/git-repo.js';
import { waitFor } from '../helpers/wait.js';

const allowed = process.env.DSR_TEST_DOCKERD_RESTART === '1';
const dockerUp = (): boolean => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
};

/** Starts dockerd the way scripts/ensure-docker.sh does. */
function startDockerd(): void {
  const log = openSync(process.env.DOCKERD_LOG ?? '/tmp/dockerd.log', 'a');
  spawn('dockerd', ['--live-restore'], { detached: true, stdio: ['ignore', log, log] }).unref();
}

describeDocker('docker restarting under a running DSR', () => {
  let h: Harness | undefined;
  after(async () => {
    if (!dockerUp()) startDockerd();
    await waitFor('dockerd back', dockerUp, 60_000, 500);
    await h?.dispose();
  });

  it('keeps serving status, reports docker unavailable, and reconciles once it is back', { skip: allowed ? false : 'set DSR_TEST_DOCKERD_RESTART=1 to let this test stop and start dockerd' }, async () => {
    h = await startHarness({ 'web.yaml': manifest('web', { replicas: 2 }) });
    const before = await h.waitHealthy('web', 2);

    // With --live-restore (as scripts/ensure-docker.sh starts it) containers survive the engine's
    // restart and must then be kept, not recreated; without it they die with the engine.
    const liveRestore = execFileSync('docker', ['info', '--format', '{{.LiveRestoreEnabled}}'], { encoding: 'utf8' }).trim() === 'true';
    execFileSync('pkill', ['-TERM', '-x', 'dockerd']);
    await waitFor('dockerd to stop', () => !dockerUp(), 30_000, 200);
    h.repo.write('web.yaml', manifest('web', { replicas: 3 }));
    h.repo.commit('scale while docker is down');
    await waitFor('docker.unavailable event', async () => (await h!.eventsOf('docker.unavailable')).length > 0, 30_000);
    assert.equal(h.controller.docker().available, false);
    assert.match(h.controller.status('web')!.message, /docker unavailable/);

    startDockerd();
    await waitFor('dockerd back', dockerUp, 60_000, 500);
    await waitFor('docker.available event', async () => (await h!.eventsOf('docker.available')).length > 0, 60_000);
    const now = await h.waitHealthy('web', 3, 60_000);
    const survivors = before.filter((b) => now.some((n) => n.id === b.id));
    if (liveRestore) assert.equal(survivors.length, 2, 'containers that survived were kept');
  });
});

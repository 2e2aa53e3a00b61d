// A hostPath under an allowed root that is a symbolic link out of it: a container that may write
// under the root plants `x -> /` from inside (the link's target is read on the host), and another
// instance's hostPath `<root>/a/x` passes the loader's text check. The runtime must refuse it, and
// mount the real path of a link that stays inside the roots.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostPathEscapeError } from '../../src/docker/host-path-guard.js';
import type { InstanceSpec } from '../../src/runtime/runtime.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';
import { describeDocker, TEST_OWNER_LABEL } from '../helpers/docker.js';

function worker(service: string, hostPath: string): InstanceSpec {
  return {
    service,
    version: 'v1',
    index: 1,
    template: {
      ...ADDED_DEFAULTS,
      image: 'dsr-test-node:latest',
      env: {},
      command: ['node', '-e', 'setTimeout(() => {}, 60000)'],
      port: null,
      volumes: [{ kind: 'host', hostPath, mountPath: '/host', readOnly: true }],
    },
    specHash: `hash${service}`,
  };
}

describeDocker('hostPath symbolic links (DSR_HOST_PATHS)', (env) => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'dsr-hostpath-')));
  mkdirSync(join(root, 'a'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a link a container planted under an allowed root that leads to the host /', async () => {
    execFileSync('docker', ['run', '--rm', '--label', `${TEST_OWNER_LABEL}=${env.owner}`, '-v', `${join(root, 'a')}:/data`, 'dsr-test-node:latest',
      'node', '-e', 'require("fs").symlinkSync("/", "/data/x")'], { timeout: 30_000 });
    const runtime = env.runtime({ hostPathRoots: [root] });
    await assert.rejects(runtime.create(worker('escape', join(root, 'a', 'x'))), (err: unknown) => {
      assert.ok(err instanceof HostPathEscapeError, String(err));
      assert.match(err.message, /outside DSR_HOST_PATHS/);
      return true;
    });
    assert.deepEqual((await runtime.list()).filter((c) => c.service === 'escape'), [], 'no container was created');
  });

  it('mounts the real path of a link that stays under the roots', async () => {
    symlinkSync(join(root, 'a'), join(root, 'inside'));
    const runtime = env.runtime({ hostPathRoots: [root] });
    const created = await runtime.create(worker('inside', join(root, 'inside')));
    const mounts = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Mounts}}', created.id], { encoding: 'utf8' })) as Array<{ Source: string; Destination: string }>;
    assert.deepEqual(mounts.map((m) => [m.Source, m.Destination]), [[join(root, 'a'), '/host']]);
  });
});

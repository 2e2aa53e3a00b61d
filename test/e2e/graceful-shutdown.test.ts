// SIGTERM to `dsr run` (what `docker stop` sends to DSR's container): DSR stops accepting
// connections, lets a request already inside the gateway finish, flushes the event log, exits 0,
// and leaves the service containers running for the next start to adopt.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const MANIFEST = `apiVersion: dsr/v1
kind: Service
metadata:
  name: slowpoke
spec:
  port: 8080
  health: { path: /health, interval: 1s }
  versions:
    - { name: v1, image: "dsr-example:v1", replicas: 1 }
`;

describeDocker('dsr run on SIGTERM', () => {
  const owner = uniqueOwner('g');
  const dir = mkdtempSync(join(tmpdir(), 'dsr-graceful-'));
  const manifests = join(dir, 'manifests');
  const data = join(dir, 'data');
  let dsr: DsrProcess | null = null;
  after(async () => {
    await dsr?.kill('SIGKILL');
    await cleanupOwner(owner);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the in-flight gateway request, exits 0 and leaves the containers running', { timeout: 120_000 }, async () => {
    execFileSync('bash', ['scripts/build-example-images.sh'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
    execFileSync('mkdir', ['-p', manifests]);
    writeFileSync(join(manifests, 'slowpoke.yaml'), MANIFEST);
    const port = await freePort();
    dsr = await startDsr(['--manifests', manifests, '--data', data, '--source', 'worktree'], { DSR_OWNER: owner }, port);
    const gateway = `${dsr.url}/gateway/slowpoke`;
    await waitFor('slowpoke to answer through the gateway', async () => (await fetch(`${gateway}/version`)).ok, 60_000, 200);

    const started = Date.now();
    const slow = fetch(`${gateway}/slow?ms=3000`).then(async (r) => ({ status: r.status, connection: r.headers.get('connection'), body: await r.json() }));
    await new Promise((r) => setTimeout(r, 500));
    const exited = dsr.kill('SIGTERM');

    // New connections are refused at once, while the slow request is still running.
    await waitFor('DSR to stop accepting', async () => (await fetch(`${dsr!.url}/healthz`).then(() => false, () => true)), 2000, 50);
    const answer = await slow;
    assert.deepEqual(answer.body, { version: 'v1', waitedMs: 3000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.connection, 'close', 'the client is told not to reuse the connection');
    assert.ok(Date.now() - started >= 3000);
    assert.equal(await exited, 0, dsr.output());
    assert.match(dsr.output(), /SIGTERM: shutting down/);

    // The event log is complete: every line is whole JSON.
    const logDir = join(data, 'events');
    const lines = readdirSync(logDir).flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n').filter(Boolean));
    assert.ok(lines.length > 0);
    for (const line of lines) JSON.parse(line);

    const running = execFileSync('docker', ['ps', '--filter', `label=dsr.owner=${owner}`, '--format', '{{.Names}} {{.State}}'], { encoding: 'utf8' });
    assert.match(running, /slowpoke-v1-1 running/);
  });
});

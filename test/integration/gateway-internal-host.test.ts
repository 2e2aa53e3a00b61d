// The internal gateway listener in host mode, against the local engine: `dsr run` on this host
// binds it on the default bridge's gateway address (from `docker network inspect bridge`), never
// on 0.0.0.0 or loopback, and gives the instance that address in DSR_GATEWAY_URL. No traffic is
// sent to the bridge address (the network rule: only 127.0.0.1 from the host); the calls
// themselves are tested in network mode (gateway-internal.test.ts), through the same code.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocker } from '../helpers/docker.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

/** Whether a TCP connect to 127.0.0.1:port is refused (nothing listens there), within 2 s. */
function refusedOnLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 2000);
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve(false); });
    socket.once('error', (err: NodeJS.ErrnoException) => { clearTimeout(timer); resolve(err.code === 'ECONNREFUSED'); });
  });
}

describeDocker('internal gateway listener, host mode', (env) => {
  const manifests = mkdtempSync(join(tmpdir(), 'dsr-gw-host-m-'));
  const data = mkdtempSync(join(tmpdir(), 'dsr-gw-host-d-'));
  let dsr: DsrProcess | undefined;
  after(async () => {
    await dsr?.kill('SIGTERM');
    rmSync(manifests, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('binds the bridge gateway address only and gives instances that URL', { timeout: 120_000 }, async () => {
    writeFileSync(join(manifests, 'web.yaml'), [
      'apiVersion: dsr/v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  port: 80',
      '  health: { path: /health, interval: 1s }',
      '  versions:', '    - { name: v1, image: "dsr-test-web:v1", replicas: 1 }', '',
    ].join('\n'));
    const bridge = await env.docker.getNetwork('bridge').inspect() as { IPAM: { Config: Array<{ Gateway?: string }> } };
    const gatewayIp = bridge.IPAM.Config.map((c) => c.Gateway ?? '').find((g) => g.includes('.'));
    assert.ok(gatewayIp, 'the default bridge has an IPv4 gateway');
    // The harness sets DSR_INTERNAL_PORT=0, so parallel DSRs never collide on 7701.
    dsr = await startDsr(['--manifests', manifests, '--data', data, '--source', 'worktree'], { DSR_OWNER: env.owner, DSR_NETWORK_MODE: 'host' }, await freePort());
    const logged = await waitFor('the DSR_GATEWAY_URL log line', () => /DSR_GATEWAY_URL=(\S+)/.exec(dsr!.output())?.[1], 30_000, 100);
    const url = new URL(logged);
    assert.equal(url.hostname, gatewayIp);
    assert.equal(url.pathname, '/gateway');
    assert.ok(Number(url.port) > 0);
    assert.equal(await refusedOnLoopback(Number(url.port)), true, 'nothing listens on 127.0.0.1 at that port: the listener is bound to the bridge address, not 0.0.0.0');

    const envOf = await waitFor('the instance with its environment', async () => {
      const [c] = await env.docker.listContainers({ filters: { label: [`dsr.owner=${env.owner}`] } });
      return c ? (await env.docker.getContainer(c.Id).inspect()).Config.Env : null;
    }, 60_000, 250);
    assert.ok(envOf.includes(`DSR_GATEWAY_URL=${logged}`), `the instance got ${logged}: ${JSON.stringify(envOf)}`);
  });
});

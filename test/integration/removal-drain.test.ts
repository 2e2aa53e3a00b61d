// Every removal drains (issue 10): a scale-down and a version leaving a static split, each under
// a steady load of non-idempotent POSTs that take 400 ms (no retry could hide a dropped one), lose
// nothing; the removed containers get SIGTERM, and one that ignores it is killed after
// stopGracePeriod. Real Docker, a real gateway, the real controller.
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, it } from 'node:test';
import type Dockerode from 'dockerode';
import { LABELS } from '../../src/docker/labels.js';
import { describeDocker } from '../helpers/docker.js';
import { startHarness, type Harness } from '../helpers/dsr-harness.js';
import { failed, startClients, type Outcome } from '../helpers/load.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { startGateway, type TestGateway } from './gateway-fixtures.js';

// A Node server on one line (commands are single strings): POST answers after SLOW_MS, SIGTERM
// closes the server and exits 0 once its requests are answered, unless IGNORE_TERM=1.
const SERVER = [
  "const http=require('http');const os=require('os');const slow=Number(process.env.SLOW_MS||400);",
  "const s=http.createServer((q,r)=>{if(q.url==='/health'){r.writeHead(200,{'content-type':'application/json'});return r.end(JSON.stringify({status:'healthy'}));}",
  "let n=0;q.on('data',(c)=>{n+=c.length;});q.on('end',()=>setTimeout(()=>{r.writeHead(200,{'content-type':'application/json'});",
  "r.end(JSON.stringify({host:os.hostname(),version:process.env.VERSION,bytes:n}));},q.method==='POST'?slow:0));});s.listen(8080);",
  "process.on('SIGTERM',()=>{if(process.env.IGNORE_TERM==='1')return;s.close(()=>process.exit(0));s.closeIdleConnections();});",
].join('');

interface Version {
  name: string;
  replicas: number;
  weight?: number;
  env?: Record<string, string>;
}

function slowService(name: string, versions: Version[], stopGracePeriod = '5s'): string {
  const lines = versions.map((v) => [
    `    - name: ${v.name}`,
    '      image: dsr-test-node:latest',
    `      replicas: ${v.replicas}`,
    ...(v.weight === undefined ? [] : [`      weight: ${v.weight}`]),
    `      env: ${JSON.stringify({ VERSION: v.name, ...v.env })}`,
    `      command: ${JSON.stringify(['node', '-e', SERVER])}`,
  ].join('\n'));
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
  port: 8080
  stopGracePeriod: ${stopGracePeriod}
  # Tolerant checks: on a loaded 2-core machine a 1 s probe timeout can fail an instance, which
  # would turn a scale-down removal into a failure removal and blur what the test checks.
  health: { path: /health, interval: 500ms, timeout: 3s, failureThreshold: 6, startPeriod: 0s }
  versions:
${lines.join('\n')}
`;
}

interface Signal {
  id: string;
  action: 'kill' | 'die';
  signal: number | null;
  exitCode: number | null;
  atMs: number;
}

/** Collects Docker's kill (with the signal) and die (with the exit code) events of one owner's containers. */
async function watchSignals(docker: Dockerode, owner: string): Promise<{ seen: Signal[]; close(): void }> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['kill', 'die'], label: [`${LABELS.owner}=${owner}`] } })) as Readable;
  const seen: Signal[] = [];
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i).trim();
      buffer = buffer.slice(i + 1);
      if (!line) continue;
      const e = JSON.parse(line) as { Action: string; Actor: { ID: string; Attributes: Record<string, string> }; timeNano: number };
      const attr = e.Actor.Attributes;
      seen.push({
        id: e.Actor.ID,
        action: e.Action as Signal['action'],
        signal: attr['signal'] === undefined ? null : Number(attr['signal']),
        exitCode: attr['exitCode'] === undefined ? null : Number(attr['exitCode']),
        atMs: e.timeNano / 1e6,
      });
    }
  });
  stream.on('error', () => undefined);
  return { seen, close: () => stream.destroy() };
}

/** Failures described, for an assertion message that says what went wrong. */
function describeFailures(outcomes: Outcome[]): string[] {
  return outcomes.filter(failed).map((o) => `${o.status ?? 'no status'} ${o.error ?? ''} ${o.body.slice(0, 120)}`);
}

describeDocker('every removal drains', (env) => {
  const harnesses: Harness[] = [];
  const gateways: TestGateway[] = [];
  after(async () => {
    for (const h of harnesses) await h.dispose();
    for (const g of gateways) await g.close();
  });
  const start = async (files: Record<string, string>): Promise<{ h: Harness; gw: TestGateway }> => {
    const gw = await startGateway();
    gateways.push(gw);
    const h = await startHarness(files, { gateway: gw.gateway });
    harnesses.push(h);
    return { h, gw };
  };

  /** Runs 16 clients POSTing (about 40/s at 400 ms each) around `change`, then checks nothing failed. */
  async function underLoad(t: { diagnostic(m: string): void }, gw: TestGateway, service: string, change: () => Promise<void>): Promise<Outcome[]> {
    const load = startClients(`http://127.0.0.1:${gw.port}/gateway/${service}/work`, { clients: 16, method: 'POST', body: '{"order":"one"}', maxDurationMs: 90_000, maxRequests: 4000 });
    await sleep(3000);
    await change();
    await sleep(2000);
    const outcomes = await load.stop();
    t.diagnostic(`${outcomes.length} POSTs, ${outcomes.filter(failed).length} failed`);
    assert.deepEqual(describeFailures(outcomes), [], 'no POST failed');
    assert.ok(outcomes.length >= 200, `the load ran (${outcomes.length} POSTs)`);
    return outcomes;
  }

  it('scales 3 -> 1 under 40 POSTs/s of 400 ms each: 0 failed, removed instances exit on SIGTERM', async (t) => {
    const { h, gw } = await start({ 'svc.yaml': slowService('scale', [{ name: 'v1', replicas: 3 }]) });
    await h.waitHealthy('scale', 3);
    const signals = await watchSignals(env.docker, h.owner);
    try {
      await underLoad(t, gw, 'scale', async () => {
        h.repo.write('svc.yaml', slowService('scale', [{ name: 'v1', replicas: 1 }]));
        h.repo.commit('scale to 1');
        await waitFor('one instance left', async () => (await h.containers()).length === 1, 40_000);
      });
      const removed = await h.eventsOf('instance.removed', 'scale');
      assert.equal(removed.length, 2, `two scale-down removals: ${JSON.stringify(removed.map((e) => e.message))}; failures: ${JSON.stringify((await h.eventsOf('instance.failed', 'scale')).map((e) => e.message))}`);
      const drains = removed.map((e) => (e.data as { drain: { waitedMs: number; cut: number } }).drain);
      assert.ok(drains.every((d) => d.cut === 0), `nothing was cut: ${JSON.stringify(drains)}`);
      assert.ok(drains.some((d) => d.waitedMs >= 50), `the drain waited for requests in flight: ${JSON.stringify(drains)}`);
      const ids = removed.map((e) => (e.data as { containerId: string }).containerId);
      await waitFor('die events of the removed instances', () => ids.every((id) => signals.seen.some((s) => s.id === id && s.action === 'die')), 10_000);
      for (const id of ids) {
        const mine = signals.seen.filter((s) => s.id === id);
        assert.deepEqual(mine.filter((s) => s.action === 'kill').map((s) => s.signal), [15], 'SIGTERM only, no SIGKILL');
        assert.equal(mine.find((s) => s.action === 'die')?.exitCode, 0, 'exited on its own after SIGTERM');
      }
    } finally {
      signals.close();
    }
  });

  it('removes one version of a 50/50 static split under 40 POSTs/s of 400 ms each: 0 failed', async (t) => {
    const { h, gw } = await start({ 'svc.yaml': slowService('split', [{ name: 'a', replicas: 2, weight: 50 }, { name: 'b', replicas: 2, weight: 50 }]) });
    await h.waitHealthy('split', 4);
    const outcomes = await underLoad(t, gw, 'split', async () => {
      h.repo.write('svc.yaml', slowService('split', [{ name: 'a', replicas: 2 }]));
      h.repo.commit('only a');
      await waitFor('version b gone', async () => {
        const left = await h.containers();
        return left.length === 2 && left.every((c) => c.version === 'a');
      }, 40_000);
    });
    const served = new Set(outcomes.map((o) => (JSON.parse(o.body) as { version: string }).version));
    assert.deepEqual([...served].sort(), ['a', 'b'], 'both versions served before the change');
    const removed = await h.eventsOf('instance.removed', 'split');
    assert.deepEqual(removed.map((e) => e.version), ['b', 'b']);
  });

  it('a DSR stopped in the middle of a drain leaves the instance running, and the next start finishes the removal', async () => {
    const gw = await startGateway();
    gateways.push(gw);
    const slow = [{ name: 'v1', replicas: 2, env: { SLOW_MS: '8000' } }];
    const h1 = await startHarness({ 'svc.yaml': slowService('restart', slow, '20s') }, { gateway: gw.gateway });
    let h2: Harness | null = null;
    try {
      const [, second] = await h1.waitHealthy('restart', 2);
      // Four 8 s POSTs, round-robin: two of them run on instance 2, the one the scale-down removes.
      const load = startClients(`http://127.0.0.1:${gw.port}/gateway/restart/work`, { clients: 4, method: 'POST', maxDurationMs: 60_000, maxRequests: 4 });
      await waitFor('requests in flight on instance 2', () => gw.gateway.inFlightInstance(second!.id) > 0, 5_000);
      h1.repo.write('svc.yaml', slowService('restart', [{ ...slow[0]!, replicas: 1 }], '20s'));
      h1.repo.commit('scale to 1');
      const status = await waitFor('status to show instance 2 draining', () => {
        const s = h1.controller.status('restart');
        return s?.instances.find((i) => i.id === second!.id)?.draining ? s : null;
      }, 10_000);
      assert.match(status.message, /draining 1 being removed/);
      await sleep(500);
      const stopping = Date.now();
      await h1.stop();
      assert.ok(Date.now() - stopping < 3000, `stop did not wait out the drain (${Date.now() - stopping} ms)`);
      const mid = await h1.containers();
      assert.equal(mid.find((c) => c.id === second!.id)?.state, 'running', 'the interrupted drain left instance 2 running');

      h2 = await startHarness({}, { repo: h1.repo, dataDir: h1.dataDir, owner: h1.owner, gateway: (await startGateway().then((g) => (gateways.push(g), g))).gateway });
      await waitFor('instance 2 removed by the next start', async () => (await h2!.containers()).length === 1, 30_000);
      const removed = await h2.eventsOf('instance.removed', 'restart');
      assert.deepEqual(removed.map((e) => (e.data as { containerId: string }).containerId), [second!.id]);
      const outcomes = await load.stop();
      assert.equal(outcomes.length, 4);
      assert.deepEqual(describeFailures(outcomes), [], 'the requests in flight on instance 2 were answered before it exited');
    } finally {
      await h2?.dispose();
      await h1.dispose();
    }
  });

  it('kills an instance that ignores SIGTERM once stopGracePeriod is over', async () => {
    const { h } = await start({ 'svc.yaml': slowService('stubborn', [{ name: 'v1', replicas: 2, env: { IGNORE_TERM: '1' } }], '2s') });
    await h.waitHealthy('stubborn', 2);
    const signals = await watchSignals(env.docker, h.owner);
    try {
      h.repo.write('svc.yaml', slowService('stubborn', [{ name: 'v1', replicas: 1, env: { IGNORE_TERM: '1' } }], '2s'));
      h.repo.commit('scale to 1');
      await waitFor('one instance left', async () => (await h.containers()).length === 1, 30_000);
      // The event is recorded once the removal has returned: a moment after the container is gone.
      const removed = await waitFor('the instance.removed event', async () => (await h.eventsOf('instance.removed', 'stubborn'))[0], 10_000);
      const id = (removed.data as { containerId: string }).containerId;
      await waitFor('the die event', () => signals.seen.some((s) => s.id === id && s.action === 'die'), 10_000);
      const kills = signals.seen.filter((s) => s.id === id && s.action === 'kill');
      assert.deepEqual(kills.map((s) => s.signal), [15, 9], 'SIGTERM, then SIGKILL');
      const waited = kills[1]!.atMs - kills[0]!.atMs;
      assert.ok(waited >= 1900 && waited < 5000, `SIGKILL came ${Math.round(waited)} ms after SIGTERM (stopGracePeriod 2s)`);
      assert.equal(signals.seen.find((s) => s.id === id && s.action === 'die')?.exitCode, 137);
    } finally {
      signals.close();
    }
  });
});

import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Prober, type ProbeTarget } from '../../src/health/prober.js';
import type { InstanceHealth, ProbeResult } from '../../src/health/thresholds.js';
import type { HealthSpec } from '../../src/manifest/service-spec.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SPEC: HealthSpec = { probe: { kind: 'http', path: '/health' }, intervalMs: 10, timeoutMs: 50, failureThreshold: 3, successThreshold: 1, startPeriodMs: 0 };

function target(id: string, port: number, spec: Partial<HealthSpec> = {}): ProbeTarget {
  return { id, service: 'web', version: 'v1', address: { host: '127.0.0.1', port }, startedAt: 0, spec: { ...SPEC, ...spec } };
}

/**
 * A fake probe answering by port. `answer` decides each result; 'hold' leaves the probe in flight
 * until the test settles it through `held` (or the prober cancels it).
 */
class FakeProbe {
  readonly calls = new Map<number, number>();
  readonly held: Array<(r: ProbeResult) => void> = [];
  inFlight = 0;
  maxInFlight = 0;
  aborted = 0;
  constructor(public answer: (port: number) => ProbeResult | 'hold' | 'throw') {}

  readonly probe = (address: { host: string; port: number }, _path: string, _timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> => {
    this.calls.set(address.port, this.count(address.port) + 1);
    const answer = this.answer(address.port);
    if (answer === 'throw') throw new Error('probe exploded');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<ProbeResult>((resolve) => {
      const settle = (r: ProbeResult): void => {
        this.inFlight--;
        resolve(r);
      };
      if (answer !== 'hold') return void setImmediate(() => settle(answer));
      this.held.push(settle);
      signal?.addEventListener('abort', () => {
        this.aborted++;
        settle({ ok: false, error: 'probe cancelled' });
      });
    });
  };

  count(port: number): number {
    return this.calls.get(port) ?? 0;
  }
}

const OK: ProbeResult = { ok: true };
const FAIL: ProbeResult = { ok: false, error: 'HTTP 500' };

describe('prober', () => {
  let prober: Prober | undefined;
  let changes: string[] = [];
  afterEach(() => {
    prober?.close();
    changes = [];
  });
  function start(fake: FakeProbe, now?: () => number): Prober {
    prober = new Prober({
      probe: fake.probe,
      ...(now ? { now } : {}),
      onChange: (id, previous, next) => changes.push(`${id}: ${previous} -> ${next.health}`),
    });
    return prober;
  }

  it('probes a new instance right away, before its first interval', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1, { intervalMs: 60_000 })]);
    await waitFor('a healthy', () => p.get('a')?.health === 'healthy', 1_000, 5);
    assert.equal(fake.count(1), 1);
    assert.deepEqual(changes, ['a: starting -> healthy']);
  });

  it('reports a change only when health changes', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1)]);
    await waitFor('five probes', () => fake.count(1) >= 5, 2_000, 5);
    assert.ok((p.get('a')?.consecutiveSuccesses ?? 0) >= 4);
    assert.deepEqual(changes, ['a: starting -> healthy']);
  });

  it('never has two probes of one instance in flight', async () => {
    const fake = new FakeProbe(() => 'hold');
    const p = start(fake);
    p.sync([target('a', 1)]);
    await sleep(80);
    assert.equal(fake.count(1), 1, 'ticks while a probe is in flight are skipped');
    fake.answer = () => OK;
    fake.held.shift()!(OK);
    await waitFor('more probes', () => fake.count(1) >= 4, 2_000, 5);
    assert.equal(fake.maxInFlight, 1);
    assert.equal(p.get('a')?.health, 'healthy');
  });

  it('turns unhealthy after failureThreshold failures and then stops probing', async () => {
    const fake = new FakeProbe(() => FAIL);
    const p = start(fake);
    p.sync([target('a', 1)]);
    await waitFor('a unhealthy', () => p.get('a')?.health === 'unhealthy', 2_000, 5);
    await sleep(60);
    assert.equal(fake.count(1), 3);
    assert.equal(p.get('a')?.lastError, 'HTTP 500');
    assert.deepEqual(changes, ['a: starting -> unhealthy']);
  });

  it('judges the start period by the injected clock', async () => {
    let clock = 0;
    const fake = new FakeProbe(() => FAIL);
    const p = start(fake, () => clock);
    p.sync([target('a', 1, { startPeriodMs: 10_000, failureThreshold: 1 })]);
    await waitFor('five probes', () => fake.count(1) >= 5, 2_000, 5);
    assert.equal(p.get('a')?.health, 'starting');
    assert.equal(p.get('a')?.consecutiveFailures, 0);
    clock = 10_000;
    await waitFor('a unhealthy', () => p.get('a')?.health === 'unhealthy', 2_000, 5);
    assert.equal(p.get('a')?.lastProbeAt, 10_000);
  });

  it('stops probing removed instances and keeps the state of those that stay', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1), target('b', 2)]);
    await waitFor('both healthy', () => p.get('a')?.health === 'healthy' && p.get('b')?.health === 'healthy', 2_000, 5);
    p.sync([target('a', 1)]);
    const removedCalls = fake.count(2);
    await waitFor('a probed again', () => (p.get('a')?.consecutiveSuccesses ?? 0) >= 3, 2_000, 5);
    assert.equal(p.get('b'), undefined);
    assert.equal(fake.count(2), removedCalls);
    assert.deepEqual([...p.snapshot().keys()], ['a']);
    assert.deepEqual(changes.sort(), ['a: starting -> healthy', 'b: starting -> healthy']);
  });

  it('updates the address and interval of an instance in place', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1, { intervalMs: 60_000 })]);
    await waitFor('a healthy', () => p.get('a')?.health === 'healthy', 1_000, 5);
    p.sync([target('a', 2, { intervalMs: 10 })]);
    await waitFor('probes on the new port', () => fake.count(2) >= 3, 2_000, 5);
    assert.equal(fake.count(1), 1);
    assert.equal(p.get('a')?.health, 'healthy');
    assert.deepEqual(changes, ['a: starting -> healthy']);
  });

  it('takes an instance out of rotation on a passive failure until the probes pass again', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1, { intervalMs: 30 })]);
    await waitFor('a healthy', () => p.get('a')?.health === 'healthy', 1_000, 5);
    p.markPassiveFailure('a', 'connection refused');
    assert.equal(p.get('a')?.health, 'starting');
    assert.equal(p.get('a')?.lastError, 'connection refused');
    await waitFor('a healthy again', () => p.get('a')?.health === 'healthy', 2_000, 5);
    assert.deepEqual(changes, ['a: starting -> healthy', 'a: healthy -> starting', 'a: starting -> healthy']);
  });

  it('ignores a success that was in flight when the gateway saw a failure', async () => {
    const fake = new FakeProbe(() => 'hold');
    const p = start(fake);
    p.sync([target('a', 1)]);
    await waitFor('first probe', () => fake.held.length === 1, 1_000, 5);
    fake.held[0]!(OK);
    await waitFor('second probe in flight', () => fake.held.length === 2, 1_000, 5);
    assert.equal(p.get('a')?.health, 'healthy');
    p.markPassiveFailure('a', 'connection reset');
    fake.held[1]!(OK);
    await sleep(30);
    assert.equal(p.get('a')?.health, 'starting', 'the stale success does not re-admit it');
    await waitFor('third probe in flight', () => fake.held.length === 3, 1_000, 5);
    fake.held[2]!(OK);
    await waitFor('a healthy again', () => p.get('a')?.health === 'healthy', 1_000, 5);
  });

  it('ignores passive failures of unknown instances', () => {
    const p = start(new FakeProbe(() => OK));
    p.markPassiveFailure('nobody', 'connection refused');
    assert.equal(p.get('nobody'), undefined);
    assert.deepEqual(changes, []);
  });

  it('counts a probe that throws as a failure', async () => {
    const fake = new FakeProbe(() => 'throw');
    const p = start(fake);
    p.sync([target('a', 1, { failureThreshold: 2 })]);
    await waitFor('a unhealthy', () => p.get('a')?.health === 'unhealthy', 2_000, 5);
    assert.equal(p.get('a')?.lastError, 'probe exploded');
  });

  it('keeps probing when the change handler throws', async () => {
    const fake = new FakeProbe(() => OK);
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      prober = new Prober({ probe: fake.probe, onChange: () => { throw new Error('listener bug'); } });
      prober.sync([target('a', 1)]);
      await waitFor('probes go on', () => fake.count(1) >= 3, 2_000, 5);
    } finally {
      console.error = original;
    }
    assert.equal(prober.get('a')?.health, 'healthy');
    assert.equal(logged.length, 1);
  });

  it('close stops every timer and cancels probes in flight', async () => {
    const fake = new FakeProbe(() => 'hold');
    const p = start(fake);
    p.sync([target('a', 1), target('b', 2)]);
    await waitFor('both in flight', () => fake.held.length === 2, 1_000, 5);
    p.close();
    assert.equal(fake.aborted, 2);
    await sleep(50);
    assert.equal(fake.count(1) + fake.count(2), 2);
    assert.equal(p.get('a'), undefined);
    p.sync([target('c', 3)]);
    assert.equal(fake.count(3), 0, 'a closed prober starts nothing');
  });

  it('hands out snapshots that do not change the prober', async () => {
    const fake = new FakeProbe(() => OK);
    const p = start(fake);
    p.sync([target('a', 1)]);
    const snap = p.snapshot();
    snap.delete('a');
    assert.notEqual(p.get('a'), undefined);
    const health: InstanceHealth | undefined = p.snapshot().get('a')?.health;
    assert.ok(health === 'starting' || health === 'healthy');
  });
});

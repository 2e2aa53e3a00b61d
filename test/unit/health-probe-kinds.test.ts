// The SPEC §8 health kinds in the prober: TCP connects to the instance, `running` (a worker
// without exec) is healthy once running for startPeriod, `exec` runs its command through Runtime.exec.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Prober, probeNeedsAddress, runningVerdict, type ProbeTarget } from '../../src/health/prober.js';
import { DockerUnavailableError } from '../../src/runtime/errors.js';
import type { ExecResult } from '../../src/runtime/runtime.js';
import { tcpProbeOnce } from '../../src/health/tcp-probe.js';
import type { HealthProbe, HealthSpec } from '../../src/manifest/service-spec.js';
import { waitFor } from '../helpers/wait.js';

const SPEC: Omit<HealthSpec, 'probe'> = { intervalMs: 10, timeoutMs: 200, failureThreshold: 3, successThreshold: 1, startPeriodMs: 0 };

function target(probe: HealthProbe, address: ProbeTarget['address'], over: Partial<HealthSpec> = {}, startedAt = 0): ProbeTarget {
  return { id: 'c1', service: 'db', version: 'v1', address, startedAt, spec: { ...SPEC, probe, ...over } };
}

async function listening(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function closedPort(): Promise<number> {
  const { server, port } = await listening();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tcpProbeOnce', () => {
  it('is healthy when the port accepts a connection', async () => {
    const { server, port } = await listening();
    try {
      assert.deepEqual(await tcpProbeOnce({ host: '127.0.0.1', port }, 1_000), { ok: true });
    } finally {
      server.close();
    }
  });
  it('fails with "connection refused" when nothing listens', async () => {
    assert.deepEqual(await tcpProbeOnce({ host: '127.0.0.1', port: await closedPort() }, 1_000), { ok: false, error: 'connection refused' });
  });
  it('fails with "probe cancelled" when aborted, already or while connecting', async () => {
    const already = new AbortController();
    already.abort();
    assert.deepEqual(await tcpProbeOnce({ host: '127.0.0.1', port: 9 }, 1_000, already.signal), { ok: false, error: 'probe cancelled' });
  });
  it('fails with the timeout when the connect does not finish in time', async () => {
    // A listener with a full backlog leaves the connect pending on Linux only sometimes; a
    // timeout of 0 ms settles before any connect can, on every platform.
    const { server, port } = await listening();
    try {
      assert.deepEqual(await tcpProbeOnce({ host: '127.0.0.1', port }, 0), { ok: false, error: 'no TCP connection within 0ms' });
    } finally {
      server.close();
    }
  });
});

describe('runningVerdict', () => {
  const cases: Array<[string, number, number, number, boolean]> = [
    ['before the start period ends', 1_000, 10_000, 10_999, false],
    ['exactly when it ends', 1_000, 10_000, 11_000, true],
    ['long after', 1_000, 10_000, 99_000, true],
    ['a start period of 0 at once', 1_000, 0, 1_000, true],
  ];
  for (const [name, startedAt, period, now, ok] of cases) it(name, () => assert.equal(runningVerdict(startedAt, period, now).ok, ok));
  it('says why it is not healthy yet', () => {
    assert.deepEqual(runningVerdict(0, 10_000, 5_000), { ok: false, error: 'starting: counts as healthy once running for 10s (no port to check)' });
  });
});

describe('probeNeedsAddress', () => {
  const cases: Array<[HealthProbe, boolean]> = [
    [{ kind: 'http', path: '/health' }, true],
    [{ kind: 'tcp' }, true],
    [{ kind: 'exec', command: ['true'] }, false],
    [{ kind: 'running' }, false],
  ];
  for (const [probe, needs] of cases) it(`${probe.kind}: ${needs}`, () => assert.equal(probeNeedsAddress(probe), needs));
});

describe('prober with the SPEC §8 kinds', () => {
  let prober: Prober | undefined;
  afterEach(() => prober?.close());

  it('probes a tcp service by connecting, not by HTTP', async () => {
    const { server, port } = await listening();
    let http = 0;
    prober = new Prober({ probe: async () => (http++, { ok: false, error: 'not HTTP' }), onChange: () => {} });
    try {
      prober.sync([target({ kind: 'tcp' }, { host: '127.0.0.1', port })]);
      await waitFor('health === "healthy"', () => prober!.get('c1')?.health === 'healthy', 2_000, 5);
      assert.equal(http, 0);
    } finally {
      server.close();
    }
  });

  it('marks a tcp service unhealthy when its port refuses', async () => {
    const port = await closedPort();
    prober = new Prober({ onChange: () => {} });
    prober.sync([target({ kind: 'tcp' }, { host: '127.0.0.1', port })]);
    await waitFor('health === "unhealthy"', () => prober!.get('c1')?.health === 'unhealthy', 2_000, 5);
    assert.equal(prober.get('c1')?.lastError, 'connection refused');
  });

  for (const probe of [{ kind: 'running' }] as HealthProbe[]) {
    it(`makes a ${probe.kind} worker (no address) healthy only once running for startPeriod`, async () => {
      let now = 0;
      prober = new Prober({ now: () => now, probe: async () => ({ ok: false, error: 'must not be called' }), onChange: () => {} });
      prober.sync([target(probe, null, { startPeriodMs: 1_000, failureThreshold: 1 })]);
      await waitFor('lastProbeAt !== null', () => prober!.get('c1')?.lastProbeAt !== null, 2_000, 5);
      assert.equal(prober.get('c1')?.health, 'starting');
      now = 1_000;
      await waitFor('health === "healthy"', () => prober!.get('c1')?.health === 'healthy', 2_000, 5);
    });
  }

  it('runs an exec check in the instance through the runtime: exit 0 is healthy', async () => {
    const calls: Array<[string, string[], number]> = [];
    const exec = async (id: string, command: string[], timeoutMs: number): Promise<ExecResult> => (calls.push([id, command, timeoutMs]), { exitCode: 0, output: '' });
    prober = new Prober({ exec, onChange: () => {} });
    prober.sync([target({ kind: 'exec', command: ['pg_isready', '-q'] }, null)]);
    await waitFor('health === "healthy"', () => prober!.get('c1')?.health === 'healthy', 2_000, 5);
    assert.deepEqual(calls[0], ['c1', ['pg_isready', '-q'], SPEC.timeoutMs]);
  });

  it('marks an exec worker unhealthy after failureThreshold failures, with the exit code and output as the reason', async () => {
    prober = new Prober({ exec: async () => ({ exitCode: 2, output: '/tmp:5432 - no response\n' }), onChange: () => {} });
    prober.sync([target({ kind: 'exec', command: ['pg_isready'] }, null)]);
    await waitFor('health === "unhealthy"', () => prober!.get('c1')?.health === 'unhealthy', 2_000, 5);
    assert.equal(prober.get('c1')?.lastError, 'exit 2: /tmp:5432 - no response');
    assert.equal(prober.get('c1')?.consecutiveFailures, SPEC.failureThreshold);
  });

  it('counts nothing while the engine cannot be reached: a dockerd restart does not condemn instances', async () => {
    let down = true;
    const exec = async (): Promise<ExecResult> => {
      if (down) throw new DockerUnavailableError('unix:///nowhere', 'exec', { cause: new Error('ECONNREFUSED') });
      return { exitCode: 0, output: '' };
    };
    prober = new Prober({ exec, onChange: () => {} });
    prober.sync([target({ kind: 'exec', command: ['true'] }, null)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual([prober.get('c1')?.health, prober.get('c1')?.consecutiveFailures, prober.get('c1')?.lastProbeAt], ['starting', 0, null]);
    down = false;
    await waitFor('health === "healthy"', () => prober!.get('c1')?.health === 'healthy', 2_000, 5);
  });

  it('fails an exec check when no runtime can run commands, saying so', async () => {
    prober = new Prober({ onChange: () => {} });
    prober.sync([target({ kind: 'exec', command: ['true'] }, null)]);
    await waitFor('lastError', () => prober!.get('c1')?.lastError, 2_000, 5);
    assert.match(prober.get('c1')?.lastError ?? '', /exec checks need a runtime/);
  });
});

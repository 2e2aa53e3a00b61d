// DockerRuntime.exec on the real engine, beyond the Runtime contract: the output is bounded to its
// last 4 KiB, and a check that outlived its timeout blocks further execs in that container (the
// Engine cannot kill it) until it ends, so hung checks never pile up.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ExecTimeoutError } from '../../src/runtime/errors.js';
import { EXEC_OUTPUT_LIMIT } from '../../src/runtime/runtime.js';
import { instanceSpec } from '../contract/runtime.contract.js';
import { describeDocker } from '../helpers/docker.js';

describeDocker('DockerRuntime.exec on the real engine', (env) => {
  const runtime = env.runtime();

  it('keeps only the last 4 KiB of a command that prints more', { timeout: 30_000 }, async () => {
    const created = await runtime.create(instanceSpec('dsr-test-web:v1', { service: 'out' }));
    const result = await runtime.exec(created.id, ['seq', '1', '20000'], 10_000);
    assert.equal(result.exitCode, 0);
    assert.equal(Buffer.byteLength(result.output), EXEC_OUTPUT_LIMIT);
    assert.ok(result.output.endsWith('19999\n20000\n'), result.output.slice(-40));
  });

  it('includes what the command wrote to stderr', { timeout: 30_000 }, async () => {
    const created = await runtime.create(instanceSpec('dsr-test-web:v1', { service: 'err' }));
    // stdout and stderr are separate pipes: their relative order is not kept, so one stream here.
    const result = await runtime.exec(created.id, ['sh', '-c', 'echo not ready yet >&2; exit 2'], 10_000);
    assert.deepEqual(result, { exitCode: 2, output: 'not ready yet\n' });
  });

  it('starts no other exec in a container while a timed-out one still runs there, then runs again', { timeout: 30_000 }, async () => {
    const created = await runtime.create(instanceSpec('dsr-test-web:v1', { service: 'hang' }));
    await assert.rejects(runtime.exec(created.id, ['sleep', '3'], 300), ExecTimeoutError);
    const started = Date.now();
    await assert.rejects(runtime.exec(created.id, ['true'], 5_000), (err: unknown) => {
      assert.ok(err instanceof ExecTimeoutError, String(err));
      assert.match(err.message, /earlier check that timed out still runs/);
      return true;
    });
    assert.ok(Date.now() - started < 2_000, 'refused at once, without waiting for its own timeout');
    // `sleep 3` ends on its own: the container accepts execs again.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    assert.equal((await runtime.exec(created.id, ['true'], 5_000)).exitCode, 0);
  });
});

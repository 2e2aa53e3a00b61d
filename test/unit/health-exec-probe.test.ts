// The exec check's verdicts and reasons: exit 0 healthy, anything else a short reason with the
// exit code and the end of the output, and the runtime's typed errors in an operator's words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXEC_EXCERPT_CHARS, execProbeOnce, judgeExec } from '../../src/health/exec-probe.js';
import { ContainerNotRunningError, DockerUnavailableError, ExecTimeoutError } from '../../src/runtime/errors.js';
import type { ExecResult } from '../../src/runtime/runtime.js';
import type { ProbeResult } from '../../src/health/thresholds.js';

describe('judgeExec', () => {
  const cases: Array<{ name: string; result: ExecResult; expected: ProbeResult }> = [
    { name: 'exit 0 is healthy whatever it printed', result: { exitCode: 0, output: 'error: ignored\n' }, expected: { ok: true } },
    { name: 'exit 1 fails with the output on one line', result: { exitCode: 1, output: 'pg_isready\n/tmp:5432 - no response\n' }, expected: { ok: false, error: 'exit 1: pg_isready /tmp:5432 - no response' } },
    { name: 'a silent failure says so', result: { exitCode: 3, output: '' }, expected: { ok: false, error: 'exit 3 (no output)' } },
    {
      name: 'a missing command says what it probably is',
      result: { exitCode: 126, output: 'OCI runtime exec failed: exec: "pg_isready": executable file not found in $PATH: unknown\r\n' },
      expected: { ok: false, error: 'exit 126 (command not found or not executable in the image?): OCI runtime exec failed: exec: "pg_isready": executable file not found in $PATH: unknown' },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(judgeExec(c.result), c.expected));

  it('keeps only the end of a long output, marked as cut', () => {
    const verdict = judgeExec({ exitCode: 1, output: `${'x'.repeat(5000)} the real reason` });
    assert.ok(!verdict.ok);
    assert.ok(verdict.error.endsWith('the real reason'));
    assert.ok(verdict.error.length <= 'exit 1: '.length + EXEC_EXCERPT_CHARS, `${verdict.error.length} chars`);
    assert.ok(verdict.error.startsWith('exit 1: …'));
  });
});

describe('execProbeOnce', () => {
  const failing = (error: Error) => async (): Promise<ExecResult> => {
    throw error;
  };
  const cases: Array<{ name: string; exec: () => Promise<ExecResult>; expected: string }> = [
    { name: 'a timeout reads like the HTTP probe’s', exec: failing(new ExecTimeoutError('c1', ['sleep', '9'], 500)), expected: 'timed out after 500ms' },
    { name: 'an earlier hung check is named', exec: failing(new ExecTimeoutError('c1', ['x'], 500, 'not started: an earlier check that timed out still runs in the container')), expected: 'an earlier check that timed out still runs in the container' },
    { name: 'a stopped container is not running', exec: failing(new ContainerNotRunningError('c1', 'Container c1 is not running')), expected: 'container is not running' },
  ];
  for (const c of cases) {
    it(c.name, async () => assert.deepEqual(await execProbeOnce(c.exec, 'c1', ['x'], 500), { ok: false, error: c.expected }));
  }

  it('an unreachable engine is no evidence (null), never a throw', async () => {
    const error = new DockerUnavailableError('unix:///nowhere', 'exec', { cause: new Error('ENOENT') });
    assert.equal(await execProbeOnce(failing(error), 'c1', ['true'], 500), null);
  });

  it('any other engine error is a failed check with its message', async () => {
    const verdict = await execProbeOnce(failing(new Error('exec create: 500 server error')), 'c1', ['true'], 500);
    assert.deepEqual(verdict, { ok: false, error: 'exec create: 500 server error' });
  });

  it('passes the container, the command and the timeout through', async () => {
    const calls: unknown[] = [];
    const verdict = await execProbeOnce(async (...args) => (calls.push(args), { exitCode: 0, output: '' }), 'c9', ['test', '-f', '/tmp/ready'], 750);
    assert.deepEqual([verdict, calls], [{ ok: true }, [['c9', ['test', '-f', '/tmp/ready'], 750]]]);
  });
});

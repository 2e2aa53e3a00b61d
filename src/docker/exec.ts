// Runtime.exec on the Engine: create an exec, start it attached, read its output, inspect it for
// the exit code, all within one deadline. The Engine has no call that kills an exec, so a command
// that outlives its timeout keeps running in the container; what DSR does about it is below.
import type Dockerode from 'dockerode';
import { ContainerNotRunningError, ExecTimeoutError, dockerMessage, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import { EXEC_OUTPUT_LIMIT } from '../runtime/runtime.js';
import type { ExecResult } from '../runtime/runtime.js';
import { ExecOutputTail } from './exec-output.js';

/** How many containers' lingering execs are remembered at most (the oldest are forgotten first). */
const MAX_LINGERING = 1000;

/**
 * Runs commands in containers. A command that times out is left running (the Engine cannot stop
 * it), and DSR starts no other exec in that container until it has ended: each later call fails at
 * once with ExecTimeoutError. So a hung check costs at most one process per container, and as a
 * health check it keeps failing until the failure threshold replaces the container, which ends it.
 */
export class ExecRunner {
  /** Container id → the id of an exec that timed out there and may still run. */
  private readonly lingering = new Map<string, string>();

  constructor(
    private readonly docker: Dockerode,
    private readonly endpoint: string,
  ) {}

  /** Runs `command` in container `id` within `timeoutMs`. */
  async run(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const operation = `exec ${JSON.stringify(command)} in container ${id}`;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(1, timeoutMs));
    });
    let execId: string | null = null;
    const settled = { done: false };
    let stream: NodeJS.ReadWriteStream | null = null;
    try {
      const within = async <T>(step: Promise<T>): Promise<T> => {
        const first = await Promise.race([step, expired]);
        if (first === 'expired') throw new ExecTimeoutError(id, command, timeoutMs);
        return first as T;
      };
      await within(this.refuseWhileLingering(id, command, timeoutMs, operation));
      const exec = await within(this.call(id, operation, () => this.docker.getContainer(id).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false })));
      execId = exec.id;
      // Not hijacked: no stdin is sent, so the plain streamed response is enough (no upgraded socket to manage).
      stream = await within(this.call(id, operation, () => exec.start({ hijack: false, stdin: false })));
      const tail = new ExecOutputTail(EXEC_OUTPUT_LIMIT);
      const opened = stream;
      await within(new Promise<void>((resolve, reject) => {
        opened.on('data', (chunk: Buffer) => tail.push(chunk));
        opened.once('end', () => resolve());
        opened.once('close', () => resolve());
        opened.once('error', reject);
      }));
      const exitCode = await within(this.exitCode(id, operation, exec, settled));
      return { exitCode, output: tail.text() };
    } catch (err) {
      if (err instanceof ExecTimeoutError && execId) this.remember(id, execId);
      throw err;
    } finally {
      settled.done = true;
      clearTimeout(timer);
      stream?.removeAllListeners('data');
      (stream as { destroy?: () => void } | null)?.destroy?.();
    }
  }

  /** Forgets a removed container's lingering exec. */
  forget(id: string): void {
    this.lingering.delete(id);
  }

  /** Fails at once while an exec that timed out in this container still runs. */
  private async refuseWhileLingering(id: string, command: string[], timeoutMs: number, operation: string): Promise<void> {
    const previous = this.lingering.get(id);
    if (!previous) return;
    const info = await this.call(id, operation, () => this.docker.getExec(previous).inspect()).catch((err: unknown) => {
      // The exec is gone with its container: nothing lingers.
      if (err instanceof ContainerNotRunningError || statusCodeOf(err) === 404) return null;
      throw err;
    });
    if (info?.Running) throw new ExecTimeoutError(id, command, timeoutMs, 'not started: an earlier check that timed out still runs in the container');
    this.lingering.delete(id);
  }

  /** The exit code once the engine reports the exec ended (the stream may close a moment before). */
  private async exitCode(id: string, operation: string, exec: Dockerode.Exec, settled: { done: boolean }): Promise<number> {
    // Stops polling once run() has returned (its deadline passed): nobody waits for the answer.
    while (!settled.done) {
      const info = await this.call(id, operation, () => exec.inspect());
      if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return -1;
  }

  private remember(id: string, execId: string): void {
    this.lingering.delete(id);
    this.lingering.set(id, execId);
    if (this.lingering.size > MAX_LINGERING) this.lingering.delete(this.lingering.keys().next().value!);
  }

  /** One engine call; 404 (no such container) and 409 (not running, paused) become ContainerNotRunningError. */
  private async call<T>(id: string, operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 404 || status === 409) throw new ContainerNotRunningError(id, dockerMessage(err), { cause: err });
      throw wrapDockerError(this.endpoint, operation, err);
    }
  }
}

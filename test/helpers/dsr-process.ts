// Runs the real `dsr` command as a child process, the way a user would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

export const DSR_BIN = fileURLToPath(new URL('../../bin/dsr.js', import.meta.url));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `dsr <args>` to completion. */
export function dsr(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [DSR_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A running `dsr run`. */
export interface DsrProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts `dsr run` and waits until its API answers. */
export async function startDsr(args: string[], env: Record<string, string>, port: number): Promise<DsrProcess> {
  const child = spawn(process.execPath, [DSR_BIN, 'run', '--port', String(port), ...args], {
    // DSR_INTERNAL_PORT=0: tests run several DSRs at once, which would collide on the fixed 7701.
    env: { ...process.env, DSR_INTERNAL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(`dsr run to answer on ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`dsr run exited with ${child.exitCode}: ${output}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok;
      // Generous: on a loaded 2-core machine compiling DSR with tsx alone can take half a minute.
    }, 90_000);
  } catch (error) {
    // A DSR that never answered must not outlive the test (nor keep its runner alive).
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

// Runs a command line tool (docker, docker compose) as a child process and returns its output;
// a non-zero exit becomes an error that carries the command and what it printed.
import { execFile } from 'node:child_process';

/** What a finished command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Runs `command args...` to completion; rejects with the command line and its stderr when it fails. */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 300_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${[command, ...args].join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** Whether the command exits 0 (used to detect which compose flavour is installed). */
export async function succeeds(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await runCommand(command, args, { timeoutMs: 30_000 });
    return true;
  } catch {
    return false;
  }
}

// The exec health check (SPEC §8 `health.exec`): run the command in the instance through
// Runtime.exec; exit 0 = healthy. Never throws: every way it can fail becomes a short reason
// (the exit code and the end of what the command printed) that status and events show as is.
import { ContainerNotRunningError, ExecTimeoutError, isDockerUnavailable } from '../runtime/errors.js';
import type { ExecResult, Runtime } from '../runtime/runtime.js';
import type { ProbeResult } from './thresholds.js';

/** How a check reaches the runtime. */
export type ExecFn = Runtime['exec'];

/** The longest output excerpt a failure reason carries (status lines and events stay short). */
export const EXEC_EXCERPT_CHARS = 200;

/**
 * Runs `command` in container `id` once, within `timeoutMs`, and judges it. Null when the engine
 * cannot be reached: that says nothing about the instance (a dockerd restart with live-restore
 * leaves it running), and counting it would replace every instance once the engine is back.
 */
export async function execProbeOnce(exec: ExecFn, id: string, command: string[], timeoutMs: number): Promise<ProbeResult | null> {
  try {
    return judgeExec(await exec(id, command, timeoutMs));
  } catch (error) {
    if (error instanceof ExecTimeoutError) {
      return { ok: false, error: /still runs/.test(error.message) ? 'an earlier check that timed out still runs in the container' : `timed out after ${timeoutMs}ms` };
    }
    if (error instanceof ContainerNotRunningError) return { ok: false, error: 'container is not running' };
    if (isDockerUnavailable(error)) return null;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Exit 0 is healthy; anything else fails with the code and an excerpt of the output's end.
 * Example: exit 2 with "pg_isready\n/tmp:5432 - no response\n" → `exit 2: /tmp:5432 - no response`.
 */
export function judgeExec(result: ExecResult): ProbeResult {
  if (result.exitCode === 0) return { ok: true };
  const excerpt = outputExcerpt(result.output);
  const hint = result.exitCode === 126 || result.exitCode === 127 ? ' (command not found or not executable in the image?)' : '';
  return { ok: false, error: `exit ${result.exitCode}${hint}${excerpt ? `: ${excerpt}` : ' (no output)'}` };
}

/** The end of the output on one line: whitespace runs collapsed, at most EXEC_EXCERPT_CHARS, cut at the front. */
export function outputExcerpt(output: string): string {
  const line = output.replace(/\s+/g, ' ').trim();
  return line.length > EXEC_EXCERPT_CHARS ? `…${line.slice(line.length - EXEC_EXCERPT_CHARS + 1)}` : line;
}

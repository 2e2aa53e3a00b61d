// CPU time over a window: this process (the target: DSR runs in it), the git processes it spawned
// and reaped (resync reads HEAD with the git CLI), and dockerd (answers DSR's list() calls, but is
// shared with anything else using the engine, so informative only). Linux /proc for the latter two.
import { readFile } from 'node:fs/promises';
import { runCommand } from './exec.js';

/** CPU used over a window, as % of one core. */
export interface CpuWindow {
  wallSeconds: number;
  processPercent: number;
  /** Reaped child processes of this one (git); null where /proc is not available. */
  childrenPercent: number | null;
  /** The Docker daemon, whoever made it work; null when it cannot be found. */
  dockerdPercent: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const CLK_TCK = 100;

/** utime+stime and cutime+cstime of a process in seconds, from /proc/<pid>/stat; null when unreadable. */
async function procTimes(pid: number | 'self'): Promise<{ own: number; children: number } | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the `(comm)` that may itself hold spaces: state is field 3, utime 14 … cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const at = (field: number): number => fields[field - 3] ?? 0;
    return { own: (at(14) + at(15)) / CLK_TCK, children: (at(16) + at(17)) / CLK_TCK };
  } catch {
    return null;
  }
}

async function dockerdPid(): Promise<number | null> {
  try {
    const pid = Number((await runCommand('pidof', ['dockerd'])).stdout.trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Measures CPU over `seconds` of whatever the process does meanwhile (call it while DSR idles). */
export async function measureCpu(seconds: number): Promise<CpuWindow> {
  const pid = await dockerdPid();
  const self0 = await procTimes('self');
  const dockerd0 = pid ? await procTimes(pid) : null;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallSeconds = (performance.now() - wall0) / 1000;
  const self1 = await procTimes('self');
  const dockerd1 = pid ? await procTimes(pid) : null;
  const percent = (cpuSeconds: number): number => (100 * cpuSeconds) / wallSeconds;
  return {
    wallSeconds,
    processPercent: percent((cpu.user + cpu.system) / 1e6),
    childrenPercent: self0 && self1 ? percent(self1.children - self0.children) : null,
    dockerdPercent: dockerd0 && dockerd1 ? percent(dockerd1.own - dockerd0.own) : null,
  };
}

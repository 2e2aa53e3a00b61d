// Formats the convergence benchmark's results: the comparison table, the verdict per target and
// the profile of DSR's own run. Pure: everything is computed from the measurements passed in.
import type { UpDown } from './docker-run-contender.js';
import type { DsrIdle, DsrWindow } from './dsr-contender.js';
import type { StoreStats } from './counting-store.js';
import type { CallStats } from './instrumented-runtime.js';

/** A target and whether it was met. */
export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

/** The targets of issue 3. */
export const TARGETS = { maxRatioToDockerRun: 1.1, maxIdleCpuPercent: 2 } as const;

/** `0.5` → `0.50x`; null (contender not run) → `n/a`. */
function ratio(a: number, b: number | null | undefined): string {
  return b ? `${(a / b).toFixed(2)}x` : 'n/a';
}

function seconds(s: number | null | undefined): string {
  return s === null || s === undefined ? 'n/a' : s.toFixed(2);
}

/** The table: seconds up and down per contender, then DSR's ratios to each baseline. */
export function resultTable(rows: { dsr: UpDown | null; run: UpDown | null; compose: UpDown | null; composeLabel: string }): string {
  const lines: Array<[string, string, string]> = [
    ['', 'up (s)', 'down (s)'],
    ['DSR', seconds(rows.dsr?.upSeconds), seconds(rows.dsr?.downSeconds)],
    ['docker run -d (8 parallel)', seconds(rows.run?.upSeconds), seconds(rows.run?.downSeconds)],
    [rows.composeLabel, seconds(rows.compose?.upSeconds), seconds(rows.compose?.downSeconds)],
  ];
  if (rows.dsr) {
    lines.push(['DSR / docker run', ratio(rows.dsr.upSeconds, rows.run?.upSeconds), ratio(rows.dsr.downSeconds, rows.run?.downSeconds)]);
    lines.push(['DSR / compose', ratio(rows.dsr.upSeconds, rows.compose?.upSeconds), ratio(rows.dsr.downSeconds, rows.compose?.downSeconds)]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, up, down]) => `  ${label.padEnd(width)}  ${up.padStart(8)}  ${down.padStart(9)}`).join('\n');
}

/** PASS/MISS for every target whose contenders ran. */
export function verdicts(dsr: UpDown | null, run: UpDown | null, compose: UpDown | null, idle: DsrIdle | null): Verdict[] {
  const out: Verdict[] = [];
  const max = TARGETS.maxRatioToDockerRun;
  for (const phase of ['up', 'down'] as const) {
    const key = phase === 'up' ? 'upSeconds' : 'downSeconds';
    if (dsr && run) out.push({ target: `DSR ${phase} <= ${max}x docker run`, measured: ratio(dsr[key], run[key]), pass: dsr[key] <= max * run[key] });
    if (dsr && compose) out.push({ target: `DSR ${phase} faster than compose`, measured: ratio(dsr[key], compose[key]), pass: dsr[key] < compose[key] });
  }
  if (idle) {
    out.push({ target: `DSR idle CPU < ${TARGETS.maxIdleCpuPercent}% of a core`, measured: `${idle.processPercent.toFixed(2)}%`, pass: idle.processPercent < TARGETS.maxIdleCpuPercent });
  }
  return out;
}

/** One line per verdict: `PASS  DSR up <= 1.1x docker run  (0.93x)`. */
export function verdictLines(list: readonly Verdict[]): string {
  return list.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  ${v.target}  (${v.measured})`).join('\n');
}

/** The idle measurement, with the context needed to read it. */
export function idleLines(idle: DsrIdle, services: number): string {
  const optional = (p: number | null): string => (p === null ? 'n/a' : `${p.toFixed(2)}%`);
  return [
    `  ${services} services Healthy, health interval ${idle.interval}, ${idle.wallSeconds.toFixed(1)} s wall:`,
    `  DSR process CPU ${idle.processPercent.toFixed(2)}% of one core (process.cpuUsage delta / wall)`,
    `  for context: git children ${optional(idle.childrenPercent)}, dockerd ${optional(idle.dockerdPercent)} (shared engine); ` +
      `DSR made ${idle.listCalls} list() calls, ${storeLine(idle.store)}`,
  ].join('\n');
}

function storeLine(s: StoreStats): string {
  return `${s.updates} store updates (${s.writes} wrote state.json, ${(s.totalMs / 1000).toFixed(2)} s awaited)`;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function at(window: DsrWindow, time: number | null): string {
  return time === null ? 'n/a' : `+${((time - window.start) / 1000).toFixed(2)}s`;
}

function callLine(name: string, stats: CallStats, window: DsrWindow): string {
  if (stats.count === 0) return `  ${name}: no calls`;
  const d = stats.durations;
  const span = stats.firstStart !== null && stats.lastEnd !== null ? stats.lastEnd - stats.firstStart : 0;
  const average = span > 0 ? `, ${(stats.totalMs / span).toFixed(1)} in flight on average` : '';
  return `  ${name}: ${stats.count} calls, ${(stats.totalMs / 1000).toFixed(2)} s in total, p50 ${percentile(d, 50).toFixed(0)} ms, ` +
    `p90 ${percentile(d, 90).toFixed(0)} ms, max ${stats.maxMs.toFixed(0)} ms, up to ${stats.peakInFlight} at once${average}, ` +
    `first began ${at(window, stats.firstStart)}, last ended ${at(window, stats.lastEnd)}`;
}

/** Where DSR's up time went: engine calls, and the gap from each create to its first healthy probe. */
export function upProfile(window: DsrWindow): string {
  const gaps: number[] = [];
  for (const [service, created] of window.stats.createdAt) {
    const healthy = window.healthyAt.get(service);
    if (healthy !== undefined) gaps.push(healthy - created);
  }
  const lastHealthy = window.healthyAt.size ? Math.max(...window.healthyAt.values()) : null;
  return [
    `  DSR process CPU ${(window.cpuMs / 1000).toFixed(2)} s over ${window.seconds.toFixed(2)} s; ${storeLine(window.store)}`,
    `  controller.start() returned at +${((window.startedMs ?? 0) / 1000).toFixed(2)}s (event log, store, git read, passes queued)`,
    callLine('create()', window.stats.create, window),
    callLine('list()', window.stats.list, window),
    callLine('hasImage()', window.stats.hasImage, window),
    `  create() returned → instance.healthy: p50 ${percentile(gaps, 50).toFixed(0)} ms, p90 ${percentile(gaps, 90).toFixed(0)} ms, ` +
      `max ${gaps.length ? Math.max(...gaps).toFixed(0) : 'n/a'} ms (${gaps.length} instances); last healthy ${at(window, lastHealthy)}`,
  ].join('\n');
}

/** Where DSR's down time went: from the commit to the first remove is the watcher plus debounce. */
export function downProfile(window: DsrWindow): string {
  return [
    `  DSR process CPU ${(window.cpuMs / 1000).toFixed(2)} s over ${window.seconds.toFixed(2)} s; ${storeLine(window.store)}`,
    `  commit → first remove() began ${at(window, window.stats.remove.firstStart)} (git watcher + debounce + load)`,
    callLine('remove()', window.stats.remove, window),
    callLine('list()', window.stats.list, window),
  ].join('\n');
}

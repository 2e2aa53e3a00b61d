// What `dsr rollout watch` and `dsr status --watch` show, and when they are done. Pure: status and
// events in, lines and an outcome out; watch.ts does the I/O and the redrawing.
import type { ServiceStatus } from '../controller/status.js';
import type { DsrEvent } from '../events/types.js';

/** A progress bar of `width` cells: (2, 4, 10) → "[#####-----]". */
export function progressBar(done: number, total: number, width = 20): string {
  const share = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** One analysis event in a few words: "12:00:01 pass 41 req, errors 0.0%, p99 377 ms". */
export function verdictLine(e: DsrEvent): string {
  const d = e.data as { requests?: number; errorRate?: number | null; latencyP99Ms?: number | null; reason?: string };
  const time = e.time.slice(11, 19);
  const rate = typeof d.errorRate === 'number' ? `${(d.errorRate * 100).toFixed(1)}%` : '-';
  const p99 = typeof d.latencyP99Ms === 'number' ? `${Math.round(d.latencyP99Ms)} ms` : '-';
  const result = e.kind.slice('analysis.'.length);
  return `${time} ${result} ${d.requests ?? 0} req, errors ${rate}, p99 ${p99}${result === 'pass' ? '' : ` (${d.reason ?? ''})`}`;
}

/** The full view of one service: phase, rollout step with a bar, weights, last verdicts, instances. */
export function renderWatch(s: ServiceStatus, verdicts: readonly DsrEvent[]): string[] {
  const r = s.rollout;
  // During a rollout the message is the step summary, shown on the step line already.
  const lines = [`${s.name}  ${s.phase}${s.message && s.message !== r?.summary ? `  ${s.message}` : ''}`];
  if (r) {
    lines.push(`rollout   ${r.stable ?? '-'} -> ${r.canary}  ${r.phase}`);
    lines.push(`step      ${progressBar(r.step, r.steps)} ${Math.min(r.step, r.steps)}/${r.steps}${r.summary ? `  ${r.summary}` : ''}`);
    if (r.abortReason) lines.push(`aborted   ${r.abortReason}`);
  } else {
    lines.push(`rollout   none in progress${s.stable ? ` (stable ${s.stable})` : ''}`);
  }
  lines.push(`weights   ${s.versions.map((v) => `${v.name} ${v.weight}%`).join('  ') || '-'}`);
  if (verdicts.length) {
    lines.push('verdicts');
    for (const v of verdicts.slice(-5)) lines.push(`  ${verdictLine(v)}`);
  }
  lines.push('instances');
  for (const i of s.instances) lines.push(`  ${i.name}  ${i.version}  ${i.state}  ${i.health}${i.lastError ? `  ${i.lastError}` : ''}`);
  if (s.instances.length === 0) lines.push('  none');
  return lines;
}

/** One line for a log (not a terminal): printed only when it differs from the previous one. */
export function plainLine(s: ServiceStatus): string {
  const r = s.rollout;
  const weights = s.versions.map((v) => `${v.name}=${v.weight}%`).join(' ');
  const ready = `${s.instances.filter((i) => i.health === 'healthy').length}/${s.instances.length} healthy`;
  if (!r) return `${s.name} ${s.phase} ${weights} ${ready}`;
  const v = r.lastVerdict ? ` last analysis ${r.lastVerdict.result}` : '';
  return `${s.name} ${s.phase} rollout ${r.canary} ${r.phase} step ${Math.min(r.step, r.steps)}/${r.steps} ${weights}${v} ${ready}`;
}

/** How a watched rollout ended: 0 completed (or nothing to wait for), 1 aborted, null still going. */
export function outcomeOf(event: DsrEvent | null, s: ServiceStatus | null): { code: 0 | 1; message: string } | null {
  if (event?.kind === 'rollout.completed') return { code: 0, message: event.message };
  if (event?.kind === 'rollout.aborted') return { code: 1, message: event.message };
  if (event || !s) return null;
  if (s.rollout?.phase === 'Aborted') return { code: 1, message: `rollout of ${s.rollout.canary} is aborted: ${s.rollout.abortReason ?? 'no reason recorded'} (dsr retry ${s.name} to try again)` };
  if (!s.rollout && s.synced) return { code: 0, message: `no rollout in progress: ${s.name} runs ${s.stable ?? s.versions.map((v) => v.name).join(', ')}` };
  return null;
}

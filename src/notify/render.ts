// Plain-text layout of an alert body, shared by every incident type (drafts.ts). Pure.

/** The parts of an alert body: what happened, why, to what and under which commit, what next. */
export interface Body {
  what: string;
  why: string[];
  service: string | null;
  version: string | null;
  revision: string | null;
  next: string[];
  eventIds: number[];
}

/**
 * Lays out a body as the text of an email or webhook field.
 *
 * Example: { what: 'web is degraded: ...', why: ['pull failed'], service: 'web', version: 'v1',
 * revision: 'abc', next: ['fix it'], eventIds: [7] } →
 * "web is degraded: ...\n\nWhy:\n  pull failed\n\nWhere: service web, version v1, commit abc\n\n
 * What to do next:\n  - fix it\n\nDSR events: #7 (dsr events --service web)"
 */
export function renderBody(b: Body): string {
  const lines = [b.what, ''];
  if (b.why.length > 0) lines.push('Why:', ...b.why.map((l) => `  ${l}`), '');
  const where = [b.service && `service ${b.service}`, b.version && `version ${b.version}`, `commit ${b.revision ?? 'unknown'}`];
  lines.push(`Where: ${where.filter(Boolean).join(', ')}`, '');
  lines.push('What to do next:', ...b.next.map((l) => `  - ${l}`), '');
  const ids = b.eventIds.map((id) => `#${id}`).join(', ');
  lines.push(`DSR events: ${ids} (dsr events${b.service ? ` --service ${b.service}` : ''})`);
  return lines.join('\n');
}

/**
 * A duration as a person says it, rounded down: 45_000 → `45 s`, 60_000 → `1 min`,
 * 330_000 → `5 min`, 4_500_000 → `1 h 15 min`.
 */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** A git commit shortened to 12 characters; anything else (a worktree revision) as it is. */
export function shortRevision(revision: string | null): string | null {
  return revision && /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 12) : revision;
}

/** Cuts `s` to `max` characters with an ellipsis, for subjects. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A string field of an event's `data`, or null. Event data is untyped JSON. */
export function dataString(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A finite number field of an event's `data`, or null. */
export function dataNumber(data: Record<string, unknown>, key: string): number | null {
  const v = data[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// The commands that read a running DSR over its HTTP API (`dsr status`, `dsr events`), at DSR_URL.
import type { ServiceStatus } from '../controller/status.js';
import type { DsrEvent } from '../events/types.js';
import { requestText, type JsonRequest } from './http-json.js';
import { cliToken } from './token.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The one-line error for a failed connection to DSR, naming the URL and what to check. */
export function cannotReach(base: string, error: unknown): Error {
  // node:http puts the reason (ECONNREFUSED, ...) in the error's code; fetch only says "fetch
  // failed" and puts it in its cause (follow.ts streams with fetch).
  const inner = (error as { cause?: { code?: string; message?: string } }).cause;
  const cause = (error as { code?: string }).code ?? inner?.code ?? inner?.message ?? (error as Error).message;
  return new Error(`cannot reach DSR at ${base} (${cause}): is \`dsr run\` running? set DSR_URL if it listens elsewhere`);
}

/** GETs (or POSTs) a JSON document from DSR; throws one clear line when DSR cannot be reached or answers garbage. */
export async function getJson<T>(base: string, path: string, init: JsonRequest = {}): Promise<{ status: number; body: T }> {
  let response: { status: number; text: string };
  try {
    response = await requestText(new URL(path, base), init, 120_000);
  } catch (error) {
    throw cannotReach(base, error);
  }
  const { status, text } = response;
  try {
    return { status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`DSR at ${base} answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** `memory 256Mi, cpus 0.5, pids 100`, only the limits set; '' when none. */
export function describeLimits(r: ServiceStatus['resources']): string {
  if (!r) return '';
  const parts: string[] = [];
  if (r.memoryBytes !== null) parts.push(`memory ${formatBytes(r.memoryBytes)}`);
  if (r.nanoCpus !== null) parts.push(`cpus ${r.nanoCpus / 1e9}`);
  if (r.pids !== null) parts.push(`pids ${r.pids}`);
  return parts.join(', ');
}

/** Bytes in the largest binary unit that divides them: 268435456 → 256Mi, 1536 → 1.5Ki. */
function formatBytes(n: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(2))}${unit}`;
  }
  return `${n}`;
}

/** Renders services as a table, or one service in detail. */
export function renderStatus(services: ServiceStatus[], detail: boolean): string[] {
  if (!detail) {
    const rows = [['SERVICE', 'PHASE', 'VERSIONS', 'READY', 'REVISION', 'MESSAGE']];
    for (const s of services) {
      rows.push([
        s.name,
        s.phase,
        // A worker gets no traffic, so its weights mean nothing: it says what it is instead.
        (s.worker ? `${s.versions.map((v) => v.name).join(' ')} (worker)` : s.versions.map((v) => `${v.name}=${v.weight}%`).join(' ')) || '-',
        `${s.versions.reduce((n, v) => n + v.ready, 0)}/${s.versions.reduce((n, v) => n + v.replicas, 0)}`,
        (s.revision ?? '-').slice(0, 12),
        s.message,
      ]);
    }
    return pad(rows);
  }
  const s = services[0]!;
  const lines = [
    `service:   ${s.name}`,
    `phase:     ${s.phase} (${s.message})`,
    ...(s.worker ? ['kind:      worker (no port: no gateway route, no HTTP check)'] : []),
    ...(describeLimits(s.resources) ? [`limits:    ${describeLimits(s.resources)}`] : []),
    `revision:  ${s.revision ?? '-'}${s.synced ? ' (in sync)' : ` (applied: ${s.appliedRevision ?? 'none'})`}`,
  ];
  if (s.pinned) lines.push(`pinned:    ${s.pinned.replace(/^pinned /, '')}; dsr unpin ${s.name} to follow the manifests again`);
  if (s.backoff) lines.push(`back-off:  ${s.backoff}`);
  if (s.stable) lines.push(`stable:    ${s.stable}`);
  const r = s.rollout;
  if (r) {
    lines.push(`rollout:   ${r.phase} ${r.stable ?? '-'} -> ${r.canary}, step ${r.step}/${r.steps}, canary weight ${r.weight}%`);
    if (r.summary) lines.push(`           ${r.summary}`);
    if (r.lastVerdict) {
      const v = r.lastVerdict;
      const rate = v.errorRate === null ? '-' : `${(v.errorRate * 100).toFixed(1)}%`;
      const p99 = v.latencyP99Ms === null ? '-' : `${Math.round(v.latencyP99Ms)} ms`;
      lines.push(`analysis:  ${v.result} (${v.requests} requests, errors ${rate}, p99 ${p99}): ${v.reason}; ${r.failures} failed check(s)`);
    }
    if (r.abortReason) lines.push(`aborted:   ${r.abortReason}`);
  }
  for (const e of s.errors) lines.push(`error:     ${e.file}:${e.line}:${e.column} ${e.path}: ${e.message}`);
  lines.push('', ...pad([['VERSION', 'IMAGE', 'WEIGHT', 'READY'], ...s.versions.map((v) => [v.name, v.image, `${v.weight}%`, `${v.ready}/${v.replicas}`])]));
  lines.push('', ...pad([['INSTANCE', 'STATE', 'HEALTH', 'ADDRESS', 'LAST ERROR'], ...s.instances.map((i) => [i.name, i.state, i.health, i.address ?? '-', i.lastError ?? ''])]));
  return lines;
}

/** `dsr status [service]`. */
export async function statusCommand(base: string, service: string | undefined, opts: { json: boolean }, out: Out): Promise<number> {
  try {
    if (service) {
      const { status, body } = await getJson<ServiceStatus & { error?: string }>(base, `/api/services/${encodeURIComponent(service)}`);
      if (status !== 200) {
        out.stderr(body.error ?? `DSR answered ${status}`);
        return 1;
      }
      out.stdout(opts.json ? JSON.stringify(body, null, 2) : renderStatus([body], true).join('\n'));
      return 0;
    }
    const { body } = await getJson<{ services: ServiceStatus[]; docker: { available: boolean; error: string | null }; source?: { summary: string; reachable: boolean } | null }>(base, '/api/services');
    if (opts.json) out.stdout(JSON.stringify(body, null, 2));
    else {
      if (!body.docker.available) out.stderr(`docker unavailable: ${body.docker.error ?? 'unknown error'}`);
      // A remote source: where it stands, e.g. "source unreachable since …, applying <rev>".
      if (body.source) (body.source.reachable ? out.stdout : out.stderr)(body.source.summary);
      out.stdout(body.services.length ? renderStatus(body.services, false).join('\n') : 'no services');
    }
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

/** One event as `dsr events` prints it: tab-separated id, time, kind, service, message; or its JSON. */
export function formatEventLine(e: DsrEvent, json: boolean): string {
  return json ? JSON.stringify(e) : `${e.id}\t${e.time}\t${e.kind}\t${e.service ?? '-'}\t${e.message}`;
}

/** `dsr events` (without --follow): one page; with --since, the next page's command is suggested on stderr. */
export async function eventsCommand(base: string, opts: { service?: string; kind?: string; since?: string; limit: string; json: boolean }, out: Out): Promise<number> {
  const params = new URLSearchParams({ limit: opts.limit });
  if (opts.service) params.set('service', opts.service);
  if (opts.kind) params.set('kind', opts.kind);
  if (opts.since) params.set('since', opts.since);
  try {
    const { status, body } = await getJson<{ events: DsrEvent[]; next?: number | null; error?: string }>(base, `/events?${params}`);
    if (status !== 200) {
      out.stderr(body.error ?? `DSR answered ${status}`);
      return 1;
    }
    for (const e of body.events) out.stdout(formatEventLine(e, opts.json));
    if (body.next !== undefined && body.next !== null && !opts.json) out.stderr(`more events: dsr events --since ${body.next}`);
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

/** Where the CLI finds the gates' token: DSR_TOKEN, else (for a DSR on loopback) `<data>/token`. */
export interface TokenSource {
  envToken: string | undefined;
  dataDir: string;
}

/** `dsr promote|abort|pause|resume|retry <service>`: POSTs the action with the token and prints the resulting status. */
export async function actionCommand(base: string, auth: TokenSource, action: string, service: string, opts: { full?: boolean; json: boolean }, out: Out): Promise<number> {
  const query = action === 'promote' && opts.full ? '?full=true' : '';
  try {
    const { token, from } = await cliToken(action, base, auth.envToken, auth.dataDir);
    const { status, body } = await getJson<ServiceStatus & { error?: string }>(base, `/api/services/${encodeURIComponent(service)}/${action}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (status === 401 && from !== 'DSR_TOKEN') {
      out.stderr(`${action} ${service}: DSR refused the token read from ${from}: it was started with DSR_TOKEN, or with another data folder; set DSR_TOKEN or pass --data`);
      return 1;
    }
    if (status !== 200) {
      out.stderr(`${action} ${service}: ${body.error ?? `DSR answered ${status}`}`);
      return 1;
    }
    out.stdout(opts.json ? JSON.stringify(body, null, 2) : renderStatus([body], true).join('\n'));
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

/** `dsr reload`: asks DSR to restart its controller and gateway workers from the code on disk. */
export async function reloadCommand(base: string, auth: TokenSource, out: Out): Promise<number> {
  try {
    const { token, from } = await cliToken('reload', base, auth.envToken, auth.dataDir);
    const { status, body } = await getJson<{ version?: string; error?: string }>(base, '/api/reload', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (status === 401 && from !== 'DSR_TOKEN') {
      out.stderr(`reload: DSR refused the token read from ${from}: it was started with DSR_TOKEN, or with another data folder; set DSR_TOKEN or pass --data`);
      return 1;
    }
    if (status !== 202) {
      out.stderr(`reload: ${body.error ?? `DSR answered ${status}`}`);
      return 1;
    }
    out.stdout(`reloading DSR ${body.version ?? ''} from the code on disk; \`dsr events --kind dsr.reloaded\` shows when it is done`);
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

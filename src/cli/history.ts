// `dsr history SERVICE`, `dsr rollback SERVICE [--to REV]` and `dsr unpin SERVICE` (SPEC §10),
// over the running DSR's API at DSR_URL. Rollback and unpin need DSR_TOKEN.
import type { ServiceStatus } from '../controller/status.js';
import { getJson, renderStatus, type TokenSource } from './remote.js';
import { cliToken } from './token.js';

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

interface HistoryBody {
  service: string;
  pinned: { revision: string | null; at: string } | null;
  history: Array<{ revision: string | null; at: string; versions: string[]; result: string }>;
  error?: string;
}

/** The history as a table, newest first, with the pin on top. */
export function renderHistory(body: HistoryBody): string[] {
  const lines: string[] = [];
  if (body.pinned) lines.push(`${body.service} is pinned to ${body.pinned.revision ?? 'an earlier revision'} (rollback) since ${body.pinned.at}: dsr unpin ${body.service} to follow the manifests again`, '');
  if (body.history.length === 0) return [...lines, `no revision applied to ${body.service} yet`];
  const rows = [['REVISION', 'TIME', 'VERSIONS', 'RESULT'], ...[...body.history].reverse().map((e) => [(e.revision ?? '-').slice(0, 12), e.at, e.versions.join(' '), e.result])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [...lines, ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())];
}

/** `dsr history SERVICE`. */
export async function historyCommand(base: string, service: string, opts: { json: boolean }, out: Out): Promise<number> {
  try {
    const { status, body } = await getJson<HistoryBody>(base, `/api/services/${encodeURIComponent(service)}/history`);
    if (status !== 200) {
      out.stderr(body.error ?? `DSR answered ${status}`);
      return 1;
    }
    out.stdout(opts.json ? JSON.stringify(body, null, 2) : renderHistory(body).join('\n'));
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

/** `dsr rollback SERVICE [--to REV]` and `dsr unpin SERVICE`: POST with the token, print the status. */
export async function pinCommand(base: string, auth: TokenSource, action: 'rollback' | 'unpin', service: string, opts: { to?: string; json: boolean }, out: Out): Promise<number> {
  const query = action === 'rollback' && opts.to ? `?to=${encodeURIComponent(opts.to)}` : '';
  try {
    const { token } = await cliToken(action, base, auth.envToken, auth.dataDir);
    const { status, body } = await getJson<ServiceStatus & { error?: string }>(base, `/api/services/${encodeURIComponent(service)}/${action}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
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

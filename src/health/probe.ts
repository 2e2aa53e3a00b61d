// One active health check over HTTP (SPEC §1): GET the configured path on the instance's
// address; healthy = 2xx with a JSON body whose `status` is "healthy". Never throws: every way a
// check can fail becomes a short, human error that status and events show as is.
import http from 'node:http';
import type { ProbeResult } from './thresholds.js';

/** The largest body a health check may return; a health endpoint has no reason to send more. */
export const MAX_BODY_BYTES = 64 * 1024;

const HEADERS = { accept: 'application/json', 'user-agent': 'dsr-health-probe' };

/** Probes `http://host:port/path` once, within `timeoutMs` overall (connect, headers and body). */
export function probeOnce(
  address: { host: string; port: number },
  path: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let req: http.ClientRequest | undefined;
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Frees the socket at once whatever state the exchange is in (agent: false, no reuse).
      req?.destroy();
      resolve(result);
    };
    try {
      // agent: false — a fresh connection per check, so a probe proves the instance still accepts
      // connections and never holds idle sockets open between checks.
      req = http.request({
        host: address.host,
        port: address.port,
        path: path.startsWith('/') ? path : `/${path}`,
        method: 'GET',
        agent: false,
        headers: HEADERS,
        signal,
      });
    } catch (error) {
      // Only a malformed path or host gets here (e.g. a space in the path).
      finish({ ok: false, error: describeSocketError(error, address.host) });
      return;
    }
    timer = setTimeout(() => finish({ ok: false, error: `timed out after ${timeoutMs}ms` }), timeoutMs);
    req.on('error', (error) => finish({ ok: false, error: describeSocketError(error, address.host) }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) return finish({ ok: false, error: `HTTP ${status}` });
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) return finish({ ok: false, error: 'body is larger than 64 KiB' });
        chunks.push(chunk);
      });
      res.on('end', () => finish(judgeBody(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', (error) => finish({ ok: false, error: describeSocketError(error, address.host) }));
    });
    req.end();
  });
}

/** Judges a 2xx body: healthy only when it is JSON with `status` exactly "healthy". */
export function judgeBody(body: string): ProbeResult {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { status?: unknown }).status === 'healthy') {
      return { ok: true };
    }
  } catch {
    // Not JSON: reported below with the body itself, which says more than the parser would.
  }
  return { ok: false, error: `body is not {"status":"healthy"}: ${snippet(body)}` };
}

/** The first 80 characters of a body on one line, or "(empty)". */
function snippet(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (!line) return '(empty)';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** Maps socket errors to the short words an operator expects to read in status (HTTP and TCP probes). */
export function describeSocketError(error: unknown, host: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    // Node says "socket hang up" when the peer closed before answering.
    case 'ECONNRESET': return (error as Error).message === 'socket hang up' ? 'connection closed without a response' : 'connection reset';
    case 'EPIPE': return 'connection closed';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENETUNREACH': return 'network unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `cannot resolve ${host}`;
    case 'ABORT_ERR': return 'probe cancelled';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
    case 'HPE_INVALID_HEADER_TOKEN': return 'not an HTTP response';
  }
  return error instanceof Error ? error.message : String(error);
}

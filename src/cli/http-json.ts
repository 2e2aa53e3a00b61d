// One HTTP request from the CLI to DSR's API, with node:http rather than fetch: the first fetch in
// a process loads undici, about 60 ms of CPU that every `dsr status` would pay for one GET.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the CLI's requests to DSR need: a method and headers (the bearer token of the gates). */
export interface JsonRequest {
  method?: string;
  headers?: Record<string, string>;
}

/**
 * Sends a request and resolves with the status and the body's text. Rejects with the socket's
 * error (its `code`, e.g. ECONNREFUSED, says why) or a timeout after `timeoutMs`.
 */
export function requestText(url: URL, init: JsonRequest, timeoutMs: number): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method ?? 'GET', headers: { accept: 'application/json', ...init.headers }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

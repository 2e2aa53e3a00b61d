// A gateway worker serves /gateway/ itself and forwards everything else (the API, /events and
// its SSE stream, /metrics, the dashboard, webhooks) to the controller's API on its private unix
// socket, streaming both ways. While the controller is down (restart, crash) the answer is 503
// with Retry-After, never a refused connection. The client's address travels in a header the
// worker always overwrites, so the API's bounded failure table still counts per client.
import http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';

/** The header carrying the client's address to the controller (set by the worker only). */
export const CLIENT_ADDRESS_HEADER = 'x-dsr-client-address';

// Hop-by-hop: they describe one connection, not the message.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** A request listener that relays to the API listening on `socketPath`. */
export function forwardToApi(socketPath: string): RequestListener {
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000 });
  return (req: IncomingMessage, res: ServerResponse) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP.has(name) && value !== undefined) headers[name] = value;
    headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
    const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers });
    upstream.on('response', (answer) => {
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP.has(name) && value !== undefined) out[name] = value;
      res.writeHead(answer.statusCode ?? 502, out);
      // Server-sent events must reach the client as they come.
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const down = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
      res.writeHead(down ? 503 : 502, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ error: down ? 'the DSR controller is not running (it restarts on its own); retry in a moment' : `the DSR controller did not answer: ${error.message}` }) + '\n');
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}

// The example service DSR's README rolls out: a tiny HTTP server with no dependencies.
//   GET /health      {"status":"healthy"}             (what DSR's health checks expect)
//   GET /version     {"version":"v1"}                  (which version answered)
//   GET /            a greeting (GREETING) naming the version and the container
//   GET /slow?ms=N   answers after N ms (at most 60000): a request that is still in flight
//                    while DSR shuts down or a rollout shifts traffic
// FAIL_RATE (0..1) makes it answer 500 on that share of requests other than /health: the
// "v3-broken" build, which stays healthy to DSR's probes but fails the canary analysis.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const version = process.env.VERSION ?? 'dev';
const greeting = process.env.GREETING ?? 'hello';
const failRate = Math.min(1, Math.max(0, Number(process.env.FAIL_RATE ?? 0) || 0));
const port = Number(process.env.PORT ?? 8080);
const MAX_SLOW_MS = 60_000;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path === '/health') return send(res, 200, { status: 'healthy' });
  if (failRate > 0 && Math.random() < failRate) return send(res, 500, { error: 'simulated failure', version });
  if (path === '/version') return send(res, 200, { version });
  if (path === '/') return send(res, 200, { message: `${greeting} from ${version}`, version, host: hostname() });
  if (path === '/slow') {
    const ms = Math.min(MAX_SLOW_MS, Math.max(0, Number(url.searchParams.get('ms')) || 0));
    const timer = setTimeout(() => send(res, 200, { version, waitedMs: ms }), ms);
    res.once('close', () => clearTimeout(timer));
    return;
  }
  return send(res, 404, { error: `no route for ${path}` });
});

server.listen(port, () => console.log(`example-service ${version} listening on ${port}${failRate > 0 ? ` (failing ${failRate * 100}% of requests)` : ''}`));
// PID 1 in a container gets no default signal handlers: without these, `docker stop` would wait
// its whole timeout and then kill. Open keep-alive connections must not hold the exit up either.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}

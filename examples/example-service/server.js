// The example service DSR's README rolls out: a tiny HTTP server with no dependencies.
//   GET /health   {"status":"healthy"}             (what DSR's health checks expect)
//   GET /version  {"version":"v1"}                  (which version answered)
//   GET /         a greeting naming the version
// FAIL_RATE (0..1) makes it answer 500 on that share of requests other than /health: the
// "v3-broken" build, which DSR's canary analysis catches and rolls back.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const version = process.env.VERSION ?? 'dev';
const greeting = process.env.GREETING ?? 'hello';
const failRate = Math.min(1, Math.max(0, Number(process.env.FAIL_RATE ?? 0) || 0));
const port = Number(process.env.PORT ?? 8080);

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/health') return send(res, 200, { status: 'healthy' });
  if (failRate > 0 && Math.random() < failRate) return send(res, 500, { error: 'simulated failure', version });
  if (path === '/version') return send(res, 200, { version });
  if (path === '/') return send(res, 200, { message: `${greeting} from ${version}`, version, host: hostname() });
  return send(res, 404, { error: `no route for ${path}` });
});

server.listen(port, () => console.log(`example-service ${version} listening on ${port}`));
// Stop promptly on `docker stop` (PID 1 gets no default signal handlers).
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));

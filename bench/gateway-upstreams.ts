// Benchmark upstreams: two plain node http servers on 127.0.0.1 in one process (started by
// bench/gateway.ts as a child, so the proxy under test never shares their event loop). Prints
// {"ports":[p1,p2]} once both listen; runs until killed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

function serve(name: string): Promise<number> {
  const body = Buffer.from(`hello from ${name}\n`);
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const ports = await Promise.all([serve('v1'), serve('v2')]);
process.stdout.write(`${JSON.stringify({ ports })}\n`);

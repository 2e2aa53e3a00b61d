// Benchmark subject: DSR's gateway routing service "bench" 90/10 to the two upstream ports given
// as arguments, in `--workers N` processes sharing one listening socket exactly as `dsr run`'s
// gateway workers do (src/plane/listen-handle.ts: the parent binds, each worker listens on the
// handle it receives). Prints {"port":N} once every worker listens; runs until killed.
import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createGateway } from '../src/gateway/gateway.js';
import { createGatewayServer } from '../src/gateway/server.js';
import { bindHandle } from '../src/plane/listen-handle.js';

const args = process.argv.slice(2);
const workersAt = args.indexOf('--workers');
const workers = workersAt === -1 ? 1 : Number(args[workersAt + 1]);
const [p1, p2] = args.filter((_, i) => i !== workersAt && i !== workersAt + 1).map(Number);
if (!p1 || !p2 || !(workers >= 1)) throw new Error('usage: gateway-dsr.ts <port-v1> <port-v2> [--workers N]');

if (process.env.BENCH_GATEWAY_WORKER === '1') {
  const gateway = createGateway();
  gateway.setRoutes({
    services: new Map([
      ['bench', {
        name: 'bench',
        sticky: false,
        versions: [
          { name: 'v1', weight: 90, instances: [{ id: 'v1-1', address: { host: '127.0.0.1', port: p1 } }] },
          { name: 'v2', weight: 10, instances: [{ id: 'v2-1', address: { host: '127.0.0.1', port: p2 } }] },
        ],
      }],
    ]),
  });
  const server = createGatewayServer(gateway, (_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  process.on('message', (_m: unknown, handle: unknown) => {
    server.listen(handle as Parameters<Server['listen']>[0], () => process.send!('ready'));
  });
  process.on('disconnect', () => process.exit(0));
  process.send!('hello');
} else {
  const { handle, port } = await bindHandle('127.0.0.1', 0);
  let ready = 0;
  const script = fileURLToPath(import.meta.url);
  for (let i = 0; i < workers; i++) {
    const child = fork(script, process.argv.slice(2), { env: { ...process.env, BENCH_GATEWAY_WORKER: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('message', (m) => {
      if (m === 'hello') child.send('listen', handle as never);
      else if (m === 'ready' && ++ready === workers) process.stdout.write(`${JSON.stringify({ port })}\n`);
    });
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
}

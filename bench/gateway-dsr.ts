// Benchmark subject: DSR's gateway alone on a node http server, routing service "bench" 90/10 to
// the two upstream ports given as arguments. Prints {"port":N} once listening; runs until killed.
import type { AddressInfo } from 'node:net';
import { createGateway } from '../src/gateway/gateway.js';
import { createGatewayServer } from '../src/gateway/server.js';

const [p1, p2] = process.argv.slice(2).map(Number);
if (!p1 || !p2) throw new Error('usage: gateway-dsr.ts <port-v1> <port-v2>');
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
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));

// The listening socket the supervisor owns and shares with its gateway workers. It is bound but
// never accepted on in the supervisor: the workers call listen() on the handle they receive, the
// kernel spreads connections over them, and because the supervisor keeps the socket open, a
// connection that arrives while no worker accepts (all restarting) waits in the backlog instead
// of being refused. net._createServerHandle is what Node's cluster module does for the same job.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { getSystemErrorName } from 'node:util';

/** node's TCP handle, as far as the supervisor uses it. */
export interface ListenHandle {
  getsockname(out: { port?: number; address?: string }): number;
  close(): void;
}

type CreateServerHandle = (address: string, port: number, addressType: number) => ListenHandle | number;

/** Binds host:port (names resolved first); throws with what to do when it cannot. */
export async function bindHandle(host: string, port: number): Promise<{ handle: ListenHandle; port: number }> {
  const create = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;
  if (!create) throw new Error(`this Node.js (${process.version}) has no net._createServerHandle: run DSR on Node 20 or 22`);
  const address = net.isIP(host) ? host : (await lookup(host)).address;
  const handle = create(address, port, net.isIPv6(address) ? 6 : 4);
  if (typeof handle === 'number') {
    const code = getSystemErrorName(handle);
    throw new Error(`cannot listen on ${host}:${port}: ${code}${code === 'EADDRINUSE' ? ' (another process holds the port: stop it or pass --port)' : ''}`);
  }
  const out: { port?: number } = {};
  handle.getsockname(out);
  return { handle, port: out.port ?? port };
}

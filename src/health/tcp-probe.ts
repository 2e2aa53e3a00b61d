// One active TCP health check (SPEC §8 `health.tcp`): healthy when the instance accepts a
// connection within the timeout. Nothing is sent: databases and caches that speak no HTTP accept
// a connect, and closing at once costs them nothing. Never throws.
import net from 'node:net';
import { describeSocketError } from './probe.js';
import type { ProbeResult } from './thresholds.js';

/** Connects to `host:port` once; ok as soon as the connection is established, within `timeoutMs`. */
export function tcpProbeOnce(address: { host: string; port: number }, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    const socket = net.connect({ host: address.host, port: address.port });
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, error: 'probe cancelled' });
    const timer = setTimeout(() => finish({ ok: false, error: `no TCP connection within ${timeoutMs}ms` }), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (error) => finish({ ok: false, error: describeSocketError(error, address.host) }));
  });
}

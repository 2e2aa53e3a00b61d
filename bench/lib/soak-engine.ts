// The soak's own Docker engine: a second dockerd (test/helpers/second-engine.ts) with live-restore,
// so the soak can restart it (and kill its containers) without touching the engine other work on
// this machine shares. Needs root, `ip` and dockerd; everything is undone by stop().
import { readdirSync, readFileSync } from 'node:fs';
import { SecondEngine } from '../../test/helpers/second-engine.js';

/** Where the soak engine lives; fixed names so a crashed run's leftovers are found and cleaned. */
export const SOAK = {
  root: '/tmp/dsr-soak-engine',
  socket: '/tmp/soak-docker.sock',
  bridge: 'dsrsoak0',
  cidr: '10.213.0.1/24',
} as const;

/** A running soak dockerd; live-restore keeps its containers through a daemon restart. */
export class SoakEngine extends SecondEngine {
  constructor() {
    super({ ...SOAK, namespace: 'dsrsoak', liveRestore: true });
  }

  /** docker-proxy processes forwarding a published port to a container on the soak bridge. */
  proxies(): number {
    const subnet = SOAK.cidr.slice(0, SOAK.cidr.lastIndexOf('.') + 1); // '10.213.0.'
    let n = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const ip = args[args.indexOf('-container-ip') + 1] ?? '';
        if (args[0]?.endsWith('docker-proxy') && ip.startsWith(subnet)) n++;
      } catch {
        // The process ended meanwhile.
      }
    }
    return n;
  }
}

// The soak's own Docker engine: a second dockerd on its own socket, data and exec roots and its
// own bridge, so the soak can restart it (and kill its containers) without touching the engine
// other work on this machine shares. Needs root, `ip` and dockerd; everything is undone by stop().
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { sleep } from './wait-healthy.js';

/** Where the soak engine lives; fixed names so a crashed run's leftovers are found and cleaned. */
export const SOAK = {
  root: '/tmp/dsr-soak-engine',
  socket: '/tmp/soak-docker.sock',
  bridge: 'dsrsoak0',
  cidr: '10.213.0.1/24',
} as const;

/** A running soak dockerd. */
export class SoakEngine {
  readonly docker = new Dockerode({ socketPath: SOAK.socket });
  readonly host = `unix://${SOAK.socket}`;
  #child: ChildProcess | null = null;

  /** Creates the bridge and starts dockerd; throws with dockerd's log when it does not answer. */
  async start(): Promise<void> {
    if (!existsSync(`/sys/class/net/${SOAK.bridge}`)) {
      run('ip', ['link', 'add', SOAK.bridge, 'type', 'bridge']);
      run('ip', ['addr', 'add', SOAK.cidr, 'dev', SOAK.bridge]);
    }
    run('ip', ['link', 'set', SOAK.bridge, 'up']);
    await this.startDaemon();
  }

  /** Starts dockerd (again) with the same roots; live-restore keeps containers through a restart. */
  async startDaemon(): Promise<void> {
    mkdirSync(SOAK.root, { recursive: true });
    const log = openSync(join(SOAK.root, 'dockerd.log'), 'a');
    this.#child = spawn('dockerd', [
      '-H', this.host,
      '--data-root', join(SOAK.root, 'data'),
      '--exec-root', join(SOAK.root, 'exec'),
      '--pidfile', join(SOAK.root, 'dockerd.pid'),
      '--containerd-namespace', 'dsrsoak',
      '--containerd-plugins-namespace', 'dsrsoak-plugins',
      '--iptables=false',
      '--ip-masq=false',
      '--live-restore',
      '--bridge', SOAK.bridge,
    ], { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`soak dockerd exited with ${this.#child.exitCode}:\n${this.logTail()}`);
      if (await this.docker.ping().then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`soak dockerd did not answer within 60 s:\n${this.logTail()}`);
      await sleep(200);
    }
  }

  /** Stops dockerd with SIGTERM (containers keep running: live-restore) and waits for it to exit. */
  async stopDaemon(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Copies images from the main engine (`docker save | docker -H soak load`). */
  loadImages(images: string[]): void {
    execFileSync('sh', ['-c', `docker save ${images.join(' ')} | docker -H ${this.host} load -q`], { stdio: 'inherit' });
  }

  /** Removes every container of the soak engine, stops dockerd, deletes the bridge and the roots. */
  async stop(): Promise<void> {
    if (this.#child) {
      const containers = await this.docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await this.stopDaemon();
    }
    if (existsSync(`/sys/class/net/${SOAK.bridge}`)) run('ip', ['link', 'delete', SOAK.bridge]);
    // Leftover mounts (overlay layers, netns) would make the delete fail part-way: unmount first.
    for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(SOAK.root)).reverse()) {
      try {
        run('umount', ['-l', mount]);
      } catch {
        // Already gone.
      }
    }
    rmSync(SOAK.root, { recursive: true, force: true });
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

  logTail(): string {
    try {
      return readFileSync(join(SOAK.root, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

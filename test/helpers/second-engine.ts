// A second Docker engine on this machine: its own dockerd with its own socket, data and exec roots,
// containerd namespace and bridge, so a test or the soak can restart it, kill its containers or
// turn it into a swarm without touching the engine other work on this machine shares (never its
// daemon, docker0 or iptables: --iptables=false, and a bridge of its own because with
// `--bridge none` the main engine's docker0 vanished). Needs root, `ip` and dockerd; stop() undoes
// everything. Used by bench/lib/soak-engine.ts and test/helpers/swarm-engine.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';

/** Where one second engine lives; fixed per user so a crashed run's leftovers are found and cleaned. */
export interface SecondEngineLayout {
  /** Data root, exec root, pidfile and log go under it. */
  root: string;
  socket: string;
  /** At most 15 characters (a Linux interface name). */
  bridge: string;
  /** The bridge's address, e.g. 10.213.0.1/24: a private /24 no interface of this host uses. */
  cidr: string;
  /** containerd namespace, so its containers never mix with the main engine's. */
  namespace: string;
  /** Keep containers running while dockerd restarts. Swarm mode refuses it. */
  liveRestore: boolean;
}

/** A second dockerd, started by start() and removed without a trace by stop(). */
export class SecondEngine {
  readonly docker: Dockerode;
  readonly host: string;
  readonly layout: SecondEngineLayout;
  #child: ChildProcess | null = null;

  constructor(layout: SecondEngineLayout) {
    this.layout = layout;
    this.docker = new Dockerode({ socketPath: layout.socket });
    this.host = `unix://${layout.socket}`;
  }

  /** Creates the bridge and starts dockerd; throws with dockerd's log when it does not answer. */
  async start(): Promise<void> {
    const { bridge, cidr } = this.layout;
    if (!existsSync(`/sys/class/net/${bridge}`)) {
      run('ip', ['link', 'add', bridge, 'type', 'bridge']);
      run('ip', ['addr', 'add', cidr, 'dev', bridge]);
    }
    run('ip', ['link', 'set', bridge, 'up']);
    await this.startDaemon();
  }

  /** Starts dockerd (again) with the same roots. */
  async startDaemon(): Promise<void> {
    const { root, bridge, namespace, liveRestore } = this.layout;
    mkdirSync(root, { recursive: true });
    const log = openSync(join(root, 'dockerd.log'), 'a');
    this.#child = spawn('dockerd', [
      '-H', this.host,
      '--data-root', join(root, 'data'),
      '--exec-root', join(root, 'exec'),
      '--pidfile', join(root, 'dockerd.pid'),
      '--containerd-namespace', namespace,
      '--containerd-plugins-namespace', `${namespace}-plugins`,
      '--iptables=false',
      '--ip-masq=false',
      ...(liveRestore ? ['--live-restore'] : []),
      '--bridge', bridge,
    ], { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`second dockerd (${this.host}) exited with ${this.#child.exitCode}:\n${this.logTail()}`);
      if (await this.docker.ping().then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`second dockerd (${this.host}) did not answer within 60 s:\n${this.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Stops dockerd with SIGTERM (SIGKILL after 30 s) and waits for it to exit. */
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

  /** Whether this object's dockerd is running. */
  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null;
  }

  /** Copies images from the main engine (`docker save | docker -H <second> load`). */
  loadImages(images: string[]): void {
    execFileSync('sh', ['-c', `docker save ${images.join(' ')} | docker -H ${this.host} load -q`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  /** Removes every container, stops dockerd, deletes the bridge and the roots (also a crashed run's). */
  async stop(): Promise<void> {
    if (this.#child) {
      const containers = await this.docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await this.stopDaemon();
    }
    const { bridge, root } = this.layout;
    if (existsSync(`/sys/class/net/${bridge}`)) run('ip', ['link', 'delete', bridge]);
    // Leftover mounts (overlay layers, netns) would make the delete fail part-way: unmount first.
    for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(root)).reverse()) {
      try {
        run('umount', ['-l', mount]);
      } catch {
        // Already gone.
      }
    }
    rmSync(root, { recursive: true, force: true });
  }

  /** The last 20 lines of dockerd's log, for error messages. */
  logTail(): string {
    try {
      return readFileSync(join(this.layout.root, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Runs a command, throwing with its stderr when it fails. */
export function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

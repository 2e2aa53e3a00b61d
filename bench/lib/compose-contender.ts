// Baseline 2: docker compose. One compose file with N services (same image, names and labels as
// the others, port 80 published on 127.0.0.1), `up -d`, then wait for every instance's health
// check as the other contenders do; teardown is `down -t 0`. The zero timeout matters: the test
// image's httpd runs as PID 1 and ignores SIGTERM, so a plain `down` waits Docker's 10 s stop
// timeout, while DSR and `docker rm -f` kill at once; -t 0 keeps the comparison about the tool.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { stringify } from 'yaml';
import type { UpDown } from './docker-run-contender.js';
import { runCommand, succeeds } from './exec.js';
import { IMAGE, PORT, fleet } from './fleet.js';
import { secondsSince, sleep, waitHealthy } from './wait-healthy.js';

/** How to invoke compose here: `docker compose` (v2) when present, else `docker-compose` (v1). */
export interface ComposeCommand {
  command: string;
  prefix: string[];
  version: string;
}

/** Finds a working compose, preferring the v2 plugin; throws when there is none. */
export async function detectCompose(): Promise<ComposeCommand> {
  for (const [command, prefix] of [['docker', ['compose']], ['docker-compose', []]] as const) {
    if (await succeeds(command, [...prefix, 'version'])) {
      const { stdout } = await runCommand(command, [...prefix, 'version', '--short']).catch(() => runCommand(command, [...prefix, 'version']));
      return { command, prefix: [...prefix], version: `${[command, ...prefix].join(' ')} ${stdout.split('\n')[0]!.trim()}` };
    }
  }
  throw new Error('neither `docker compose` nor `docker-compose` works; install one of them');
}

/** The compose file of the fleet: one service per instance, as `docker run` would start it. */
export function composeFile(owner: string, n: number): string {
  const services = Object.fromEntries(fleet(owner, n).map((m) => [m.service, {
    image: IMAGE,
    container_name: m.name,
    labels: m.labels,
    ports: [`127.0.0.1::${PORT}`],
  }]));
  return stringify({ version: '2.4', services });
}

/** Project name of an owner's compose run; compose v1 accepts only [a-z0-9]. */
export function projectName(owner: string): string {
  return `dsrbench${owner.replace(/[^a-z0-9]/g, '')}`;
}

/** A compose project in a temp folder; `dispose()` takes it down (idempotent) and removes the folder. */
export class ComposeProject {
  private constructor(
    readonly compose: ComposeCommand,
    readonly dir: string,
    readonly project: string,
  ) {}

  /** Writes the compose file of `n` services for `owner`. */
  static async create(compose: ComposeCommand, owner: string, n: number): Promise<ComposeProject> {
    const dir = await mkdtemp(join(tmpdir(), 'dsr-bench-compose-'));
    await writeFile(join(dir, 'docker-compose.yml'), composeFile(owner, n));
    return new ComposeProject(compose, dir, projectName(owner));
  }

  /** Runs `compose -p <project> -f <file> <args>`. */
  run(args: string[]): Promise<unknown> {
    const { command, prefix } = this.compose;
    return runCommand(command, [...prefix, '-p', this.project, '-f', join(this.dir, 'docker-compose.yml'), ...args], { cwd: this.dir });
  }

  /**
   * `down -t 0`, repeated while it fails only on the project network ("has active endpoints"):
   * compose v1 on a busy Docker 20.10 sometimes hits it right after removing the containers, and
   * a user would run `down` again, so the time counts. When the engine keeps refusing (its
   * endpoint count leaked, which only a daemon restart clears) but every container is gone, the
   * teardown is done as far as services go: the network is reported as left behind.
   */
  async down(docker: Dockerode): Promise<{ attempts: number; networkLeft: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.run(['down', '-t', '0']);
        return { attempts: attempt, networkLeft: false };
      } catch (error) {
        if (!/active endpoints/.test((error as Error).message)) throw error;
        if (attempt >= 5) {
          if ((await this.containers(docker)).length > 0) throw error;
          return { attempts: attempt, networkLeft: true };
        }
        await sleep(200);
      }
    }
  }

  /** The project's containers, running or not. */
  containers(docker: Dockerode): Promise<Dockerode.ContainerInfo[]> {
    return docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${this.project}`] } });
  }

  /** Takes the project down, force-removes whatever of it is left, and removes the folder; warns about a network the engine keeps. */
  async dispose(docker: Dockerode): Promise<void> {
    try {
      await this.down(docker).catch(() => undefined); // the forced removal below reports what really stayed
      for (const c of await this.containers(docker)) await docker.getContainer(c.Id).remove({ force: true, v: true });
      for (const n of await docker.listNetworks({ filters: { label: [`com.docker.compose.project=${this.project}`] } })) {
        try {
          await docker.getNetwork(n.Id).remove();
        } catch (error) {
          console.error(`converge: the engine refuses to remove network ${n.Name} (${(error as Error).message}); remove it after a dockerd restart`);
        }
      }
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

/** Compose's timings, and how many `down` attempts it needed (see ComposeProject.down). */
export interface ComposeUpDown extends UpDown {
  downAttempts: number;
  /** The engine kept the project network (see ComposeProject.down). */
  networkLeft: boolean;
}

/** Brings `n` services up with `compose up -d`, waits for their health, then `down -t 0`, timing both. */
export async function benchCompose(docker: Dockerode, project: ComposeProject, n: number): Promise<ComposeUpDown> {
  let start = performance.now();
  await project.run(['up', '-d']);
  const containers = await project.containers(docker);
  if (containers.length !== n) throw new Error(`compose started ${containers.length} containers, expected ${n}`);
  await Promise.all(containers.map((c) => {
    const port = c.Ports.find((p) => p.PrivatePort === PORT && p.IP === '127.0.0.1' && p.PublicPort)?.PublicPort;
    if (!port) throw new Error(`compose container ${c.Names[0] ?? c.Id} has no port ${PORT} published on 127.0.0.1`);
    return waitHealthy(port);
  }));
  const upSeconds = secondsSince(start);

  start = performance.now();
  const { attempts, networkLeft } = await project.down(docker);
  return { upSeconds, downSeconds: secondsSince(start), downAttempts: attempts, networkLeft };
}

// Named volumes on a Docker engine: created labelled before the containers that mount them, listed
// with their users, removed only on request (never by a prune: DockerRuntime.remove() takes a
// container's anonymous volumes only). Thin, like docker-runtime.ts.
import type Dockerode from 'dockerode';
import { VolumeConflictError, VolumeInUseError } from '../runtime/errors.js';
import { volumeName } from '../runtime/names.js';
import type { InstanceSpec, VolumeInfo, VolumeStore } from '../runtime/runtime.js';
import { LABELS, ownerLabelFilters, volumeLabels } from './labels.js';

/** How DockerVolumes reaches the engine: DockerRuntime's call wrappers (typed errors). */
export interface VolumeCalls {
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  callAllowing<T>(operation: string, okStatuses: number[], fn: () => Promise<T>): Promise<T | undefined>;
}

/** What a container mounting a volume is called in `usedBy`: a container is the instance on Docker (its name). */
export type VolumeUserName = (container: Dockerode.ContainerInfo) => string;

/** The container's own name, without Docker's leading slash (its id when it has none). */
export function containerNameOf(container: Dockerode.ContainerInfo): string {
  return (container.Names[0] ?? container.Id).replace(/^\//, '');
}

/**
 * One owner's named volumes on one engine. `userName` says how a container mounting one is named
 * in `usedBy`; SwarmRuntime reuses this class with the instance a task container stands for
 * (src/swarm/volume-store.ts).
 */
export class DockerVolumes implements VolumeStore {
  constructor(
    private readonly docker: Dockerode,
    private readonly owner: string,
    private readonly calls: VolumeCalls,
    private readonly userName: VolumeUserName = containerNameOf,
  ) {}

  /**
   * Creates the instance's named volumes that do not exist yet, labelled as DSR's. Docker's create
   * of an existing volume returns it unchanged, so this is idempotent; one that exists without this
   * owner's labels (made by hand, or by another installation) is refused (VolumeConflictError, a
   * terminal error: only a person can rename or remove it) rather than shared.
   */
  async ensure(spec: InstanceSpec): Promise<void> {
    for (const v of spec.template.volumes) {
      if (v.kind !== 'named') continue;
      const name = volumeName(this.owner, spec.service, v.name);
      const found = await this.calls.callAllowing(`inspect volume ${name}`, [404], () => this.docker.getVolume(name).inspect());
      if (found) {
        const labels = found.Labels ?? {};
        if (labels[LABELS.owner] !== this.owner || labels[LABELS.service] !== spec.service) {
          throw new VolumeConflictError(name, spec.service, this.owner);
        }
        continue;
      }
      await this.calls.call(`create volume ${name}`, () => this.docker.createVolume({ Name: name, Labels: volumeLabels(this.owner, spec.service, v.name) }));
    }
  }

  /** This owner's named volumes with the names of the containers mounting each, sorted by service then name. */
  async volumes(): Promise<VolumeInfo[]> {
    const listed = await this.calls.call('list DSR volumes', () => this.docker.listVolumes({ filters: { label: ownerLabelFilters(this.owner) } }));
    const result: VolumeInfo[] = [];
    for (const v of listed.Volumes ?? []) {
      const labels = v.Labels ?? {};
      const service = labels[LABELS.service];
      const name = labels[LABELS.volume];
      if (!service || !name) continue;
      result.push({ service, name, dockerName: v.Name, createdAt: (v as { CreatedAt?: string }).CreatedAt ?? null, usedBy: await this.users(v.Name) });
    }
    return result.sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  }

  /** Removes a service's named volume; gone is success; refuses while any container mounts it. */
  async removeVolume(service: string, name: string): Promise<void> {
    const dockerName = volumeName(this.owner, service, name);
    const users = await this.users(dockerName);
    if (users.length > 0) throw new VolumeInUseError(dockerName, users);
    await this.calls.callAllowing(`remove volume ${dockerName}`, [404], () => this.docker.getVolume(dockerName).remove());
  }

  /** Names of the containers (any owner, running or not) that mount a volume, each once. */
  private async users(dockerName: string): Promise<string[]> {
    const containers = await this.calls.call(`list containers using volume ${dockerName}`, () => this.docker.listContainers({ all: true, filters: { volume: [dockerName] } }));
    return [...new Set(containers.map(this.userName))].sort();
  }
}

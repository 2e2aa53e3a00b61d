// `dsr volumes` on Swarm. A service with a named volume is pinned to the manager DSR talks to
// (service-spec.ts), and Swarm creates the volume, labelled as DSR's, on the node that runs the
// task: so this owner's volumes are on that manager's engine, listed and removed there exactly as
// on Docker (src/docker/volumes.ts). Only the user names differ: a task container stands for a
// DSR instance. Volumes on other nodes of a cluster are not visible from here (docs/swarm.md).
import type Dockerode from 'dockerode';
import { DockerVolumes, containerNameOf } from '../docker/volumes.js';
import type { VolumeCalls } from '../docker/volumes.js';
import type { VolumeStore } from '../runtime/runtime.js';
import { SWARM_TASK_NAME_LABEL } from './task-labels.js';

/**
 * How a container mounting a volume is named in `usedBy`: a task container by the DSR instance it
 * stands for, its version service's slot (SwarmRuntime.list() names instances `<service>.<slot>`),
 * e.g. `dsr-shop-db-v1.1` for the container `dsr-shop-db-v1.1.k3x…`; anything else (a person's
 * `docker run -v …`) by its container name. Every task of a slot gives the same name: a task
 * Swarm keeps as history after a restart, or one still being removed, holds the volume as much as
 * the running one, and is counted once.
 */
export function swarmVolumeUser(container: Dockerode.ContainerInfo): string {
  const task = container.Labels?.[SWARM_TASK_NAME_LABEL] ?? '';
  const slot = /^(.+\.\d+)\.[^.]+$/.exec(task)?.[1];
  return slot ?? containerNameOf(container);
}

/** The VolumeStore of one owner on the manager `docker` talks to; `calls` are the runtime's typed-error wrappers. */
export function swarmVolumeStore(docker: Dockerode, owner: string, calls: VolumeCalls): VolumeStore {
  return new DockerVolumes(docker, owner, calls, swarmVolumeUser);
}

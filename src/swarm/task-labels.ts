// The labels Swarm itself puts on every task container (not DSR's: those are src/docker/labels.ts).

/** The name of the service the task belongs to, e.g. `dsr_dsr` for the service `dsr` of the stack `dsr`. */
export const SWARM_SERVICE_NAME_LABEL = 'com.docker.swarm.service.name';

/** The task's name: `<service>.<slot>.<task id>` for a replicated service, e.g. `dsr-shop-db-v1.1.k3x9`. */
export const SWARM_TASK_NAME_LABEL = 'com.docker.swarm.task.name';

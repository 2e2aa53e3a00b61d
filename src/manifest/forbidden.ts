// Fields that would ask Docker for more power than DSR ever grants. The schema already rejects
// them as unknown; this gives the reason instead of a bare "unknown field", so nobody goes
// looking for the right spelling of a field that does not exist on purpose.

const NETWORK = 'host networking is not allowed: DSR attaches every container to its own network and routes traffic to it through the gateway';
const MOUNTS = 'raw mounts and binds are not allowed: declare storage in spec.volumes (a named volume DSR owns, or a hostPath under a folder the operator allows in DSR_HOST_PATHS)';
const VOLUMES = 'volumes belong to the whole service: declare them in spec.volumes (e.g. "- { name: data, mountPath: /var/lib/data }")';
const CAPS = 'added capabilities are not allowed: DSR runs containers with Docker\'s default capabilities only';
const NAMESPACES = 'sharing host namespaces is not allowed: DSR never runs containers in the host\'s PID or IPC namespace';

const FORBIDDEN: Record<string, string> = {
  privileged: 'privileged mode is not allowed: DSR never runs privileged containers',
  hostnetwork: NETWORK,
  networkmode: NETWORK,
  network: NETWORK,
  networks: NETWORK,
  volumes: VOLUMES,
  volumemounts: VOLUMES,
  mounts: MOUNTS,
  binds: MOUNTS,
  hostpath: VOLUMES,
  capadd: CAPS,
  capabilities: CAPS,
  securitycontext: CAPS,
  devices: 'devices are not allowed: DSR never passes host devices into containers',
  hostpid: NAMESPACES,
  pid: NAMESPACES,
  hostipc: NAMESPACES,
  ipc: NAMESPACES,
};

/** The reason a field name is refused on purpose (`privileged`, `cap_add`, ...), or null. */
export function forbiddenFieldReason(field: string): string | null {
  return FORBIDDEN[field.toLowerCase().replace(/[-_]/g, '')] ?? null;
}

// Why a compose service field is not carried into a DSR manifest, for the fields people use most;
// any other field gets the generic reason. Pure data.

const REASONS: Record<string, string> = {
  build: 'DSR runs images and builds none: build and tag the image, then set versions[0].image',
  entrypoint: "DSR has no entrypoint field and keeps the image's ENTRYPOINT (command becomes its arguments): rebuild the image with this entrypoint, or put it in front of command if the image has none",
  container_name: 'DSR names containers dsr-<service>-<version>-<n>',
  restart: 'DSR replaces failed instances itself, with back-off',
  networks: "instances join DSR's network and reach each other by name or through $DSR_GATEWAY_URL",
  network_mode: 'host networking and shared network namespaces are not allowed',
  links: "instances reach each other by name on DSR's network",
  external_links: "instances reach each other by name on DSR's network",
  expose: "a port only other containers use needs no declaration: they reach the instance by name on DSR's network",
  hostname: 'DSR names containers itself',
  privileged: 'privileged mode is not allowed',
  cap_add: 'added capabilities are not allowed',
  devices: 'host devices are not allowed',
  pid: "sharing the host's PID namespace is not allowed",
  ipc: 'sharing IPC namespaces is not allowed',
  security_opt: 'security options are not configurable',
  user: 'DSR runs the image as its USER: set USER in the image',
  working_dir: 'DSR runs in the image WORKDIR: set WORKDIR in the image',
  logging: 'DSR keeps json-file logs (10 MB x 3) and serves them with dsr logs',
  secrets: 'compose secrets are files; DSR secrets are env files: put the values in a secret env file',
  configs: 'DSR mounts no config objects: use a hostPath volume under DSR_HOST_PATHS',
  memswap_limit: 'DSR sets memory only',
  mem_reservation: 'DSR sets limits only',
  cpu_shares: 'DSR sets a CPU limit (cpus) only',
  ulimits: 'not configurable',
  sysctls: 'not configurable',
  extra_hosts: 'not configurable',
  dns: 'not configurable',
  tmpfs: 'DSR mounts named volumes and host paths only',
  shm_size: 'not configurable',
  init: 'DSR always runs Docker\'s init as PID 1',
  tty: 'instances run without a TTY',
  stdin_open: 'instances run without stdin',
  profiles: 'every manifest in the folder runs',
  platform: 'the engine picks the platform',
  pull_policy: 'DSR pulls an image only when it is missing',
};

/** Why `field` of a compose service is not carried. */
export function notCarriedReason(field: string): string {
  return REASONS[field] ?? 'DSR has no equivalent';
}

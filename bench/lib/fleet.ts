// The N services every contender brings up: the same image, container names and labels for all
// three, under a contender's own owner so their containers never collide and cleanupOwner()
// finds each one's leftovers.
import type Dockerode from 'dockerode';
import { instanceLabels } from '../../src/docker/labels.js';
import { specHash } from '../../src/template/spec-hash.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';
import { containerName } from '../../src/runtime/names.js';

/** The image every instance runs (busybox httpd serving /health on port 80; built offline). */
export const IMAGE = 'dsr-test-web:v1';
/** The port the image listens on. */
export const PORT = 80;
/** The version name DSR gives the instances, reused by the baselines for identical names. */
export const VERSION = 'v1';

/** One instance as the baselines create it. */
export interface FleetMember {
  service: string;
  /** DSR's container name for this owner, e.g. `dsr-b1x2y3z-web-7-v1-1`. */
  name: string;
  labels: Record<string, string>;
}

/** Service names `web-1` … `web-<n>`. */
export function serviceNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `web-${i + 1}`);
}

/** The instances of `n` one-replica services for `owner`, named and labelled exactly as DSR would. */
export function fleet(owner: string, n: number): FleetMember[] {
  const hash = specHash({ image: IMAGE, env: {}, command: null, port: PORT, ...ADDED_DEFAULTS });
  return serviceNames(n).map((service) => ({
    service,
    name: containerName(owner, service, VERSION, 1),
    labels: instanceLabels(owner, { service, version: VERSION, index: 1, specHash: hash, port: PORT }),
  }));
}

/** The host port published on 127.0.0.1 for the container's port 80, read with one inspect call. */
export async function publishedPort(docker: Dockerode, id: string): Promise<number> {
  const info = await docker.getContainer(id).inspect();
  const binding = info.NetworkSettings.Ports[`${PORT}/tcp`]?.find((b) => b.HostIp === '127.0.0.1' && Number(b.HostPort) > 0);
  if (!binding) throw new Error(`container ${info.Name} has no port ${PORT} published on 127.0.0.1`);
  return Number(binding.HostPort);
}

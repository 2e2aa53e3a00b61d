// The create options of an instance container. Pure, and the one place that reads a
// ContainerTemplate into a Docker create body; also the one place that decides what an
// instance may do on the host: security by construction means the fields that could widen that
// (Privileged, host network, Binds, CapAdd, Devices) are simply never written here, and Mounts
// only from the template's volumes: named volumes DSR owns, and host paths the manifest loader
// allowed (under DSR_HOST_PATHS), read-only unless the manifest says readOnly: false.
import type { ContainerCreateOptions } from 'dockerode';
import { instanceLabels } from './labels.js';
import { containerName, volumeName } from '../runtime/names.js';
import type { AddressMode } from './observe.js';
import type { InstanceSpec } from '../runtime/runtime.js';

/** Where instances are attached: host mode publishes ports on 127.0.0.1, network mode joins `network`. */
export interface Placement {
  mode: AddressMode;
  network: string;
  /**
   * DSR_GATEWAY_URL for the instance (internal-listener.ts), or null for none. Set at creation
   * only and never part of the spec hash: a DSR upgrade that changes it must not restart anything.
   */
  gatewayUrl?: string | null;
}

/** The variable every instance gets (SPEC §8); it overrides a manifest's own value of that name. */
export const GATEWAY_URL_ENV = 'DSR_GATEWAY_URL';

/**
 * Docker create options for an instance, e.g. name `dsr-web-v2-1`, port 80 published on 127.0.0.1:<random>.
 * `secretEnv` holds the variables of the template's secret files, read by the runtime just now:
 * they override the manifest's `env` of the same name (the manifest in git may carry a
 * placeholder; the file outside git is the real value), and DSR_GATEWAY_URL overrides both.
 * They go into Env only, never into labels.
 */
export function containerCreateOptions(owner: string, spec: InstanceSpec, placement: Placement, secretEnv: Readonly<Record<string, string>> = {}): ContainerCreateOptions {
  const name = containerName(owner, spec.service, spec.version, spec.index);
  const t = spec.template;
  const portKey = t.port === null ? null : `${t.port}/tcp`;
  const hostMode = placement.mode === 'host';
  // A worker (no port) publishes nothing; in host mode it still gets Docker's default network.
  const ports = portKey === null ? {} : { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } };
  const withSecrets = { ...t.env, ...secretEnv };
  const env = placement.gatewayUrl ? { ...withSecrets, [GATEWAY_URL_ENV]: placement.gatewayUrl } : withSecrets;
  return {
    name,
    Image: t.image,
    Env: Object.keys(env)
      .sort()
      .map((key) => `${key}=${env[key]}`),
    ...(t.command ? { Cmd: t.command } : {}),
    // DSR's labels last: they are the truth DSR finds its containers by (validation also rejects `dsr.`).
    Labels: { ...t.labels, ...instanceLabels(owner, { ...spec, port: t.port }) },
    ...(portKey === null ? {} : { ExposedPorts: { [portKey]: {} } }),
    HostConfig: {
      // An empty HostPort asks Docker for a free one; binding to 127.0.0.1 keeps instances off the LAN.
      ...(hostMode ? ports : { NetworkMode: placement.network }),
      // DSR replaces failed instances itself (with back-off); a Docker restart policy would fight it.
      RestartPolicy: { Name: 'no' },
      // Docker's init as PID 1 forwards SIGTERM to the app: a process running as PID 1 has no
      // default signal handlers, so a server that does not handle SIGTERM itself would otherwise
      // ignore it, and every removal would wait out the whole grace period before SIGKILL.
      Init: true,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      ...(t.volumes.length > 0 ? { Mounts: t.volumes.map((v) => v.kind === 'named'
        ? { Type: 'volume' as const, Source: volumeName(owner, spec.service, v.name), Target: v.mountPath, ReadOnly: v.readOnly }
        : { Type: 'bind' as const, Source: v.hostPath, Target: v.mountPath, ReadOnly: v.readOnly }) } : {}),
      ...(t.resources.memoryBytes !== null ? { Memory: t.resources.memoryBytes } : {}),
      ...(t.resources.nanoCpus !== null ? { NanoCpus: t.resources.nanoCpus } : {}),
      ...(t.resources.pids !== null ? { PidsLimit: t.resources.pids } : {}),
    },
    ...(hostMode ? {} : { NetworkingConfig: { EndpointsConfig: { [placement.network]: { Aliases: [name] } } } }),
  };
}

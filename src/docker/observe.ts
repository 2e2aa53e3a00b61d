// Turns one entry of Docker's container list into what DSR observes. Pure: list() calls this for
// every container on every pass, so it must not need an inspect per container.
import { LABELS } from './labels.js';
import type { Address, ContainerState, ObservedContainer } from '../runtime/runtime.js';

/** The fields of a `GET /containers/json` entry this module reads (a subset of dockerode's ContainerInfo). */
export interface ContainerListEntry {
  Id: string;
  Names: string[];
  Image: string;
  Created: number;
  State: string;
  Status: string;
  Labels: Record<string, string> | null;
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
}

/** How DSR reaches instances: published on 127.0.0.1 (DSR on the host) or by name on a shared network (DSR in Docker). */
export type AddressMode = 'host' | 'network';

const STATES: ReadonlySet<string> = new Set<ContainerState>([
  'created',
  'running',
  'restarting',
  'paused',
  'exited',
  'dead',
  'removing',
]);

/** Docker's State string as a ContainerState; unknown values (newer engines) count as 'dead' so they get replaced. */
export function toContainerState(state: string): ContainerState {
  const lower = state.toLowerCase();
  return STATES.has(lower) ? (lower as ContainerState) : 'dead';
}

/** The exit code inside Docker's Status text: `Exited (137) 2 seconds ago` → 137; null when absent. */
export function parseExitCode(status: string): number | null {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match ? Number(match[1]) : null;
}

/**
 * The address of a running instance. Host mode: the port published on 127.0.0.1 for the
 * container port; network mode: the container name and its own port.
 */
export function instanceAddress(entry: ContainerListEntry, name: string, port: number, mode: AddressMode): Address | null {
  if (mode === 'network') return { host: name, port };
  const published = entry.Ports.find(
    (p) => p.PrivatePort === port && p.Type === 'tcp' && p.IP === '127.0.0.1' && typeof p.PublicPort === 'number' && p.PublicPort > 0,
  );
  return published?.PublicPort ? { host: '127.0.0.1', port: published.PublicPort } : null;
}

/**
 * Maps a list entry to an ObservedContainer, or null when its DSR labels are missing or malformed
 * (DSR never touches a container it cannot fully identify).
 */
export function toObserved(entry: ContainerListEntry, mode: AddressMode): ObservedContainer | null {
  const labels = entry.Labels ?? {};
  const service = labels[LABELS.service];
  const version = labels[LABELS.version];
  const hash = labels[LABELS.specHash];
  const index = Number(labels[LABELS.instance]);
  // "" marks a worker (no port): running, but with no address to route or probe.
  const portLabel = labels[LABELS.port];
  const port = portLabel === '' ? null : Number(portLabel);
  if (!service || !version || !hash || !Number.isInteger(index) || portLabel === undefined || (port !== null && (!Number.isInteger(port) || port <= 0))) return null;
  const name = (entry.Names[0] ?? '').replace(/^\//, '');
  const state = toContainerState(entry.State);
  return {
    id: entry.Id,
    name,
    service,
    version,
    index,
    specHash: hash,
    state,
    createdAt: new Date(entry.Created * 1000).toISOString(),
    exitCode: state === 'exited' || state === 'dead' ? parseExitCode(entry.Status) : null,
    address: state === 'running' && port !== null ? instanceAddress(entry, name, port, mode) : null,
    image: entry.Image,
  };
}

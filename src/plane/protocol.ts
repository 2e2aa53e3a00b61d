// The messages between the three processes of `dsr run` (docs/architecture.md, "Processes"):
// the supervisor relays between the controller and the gateway workers, so neither knows the
// other's pid. Every message is plain JSON over Node's IPC channel; a route table travels as
// `WireTable` (arrays instead of a Map). Pure: types, the table codec and a type guard.
import type { NewEvent } from '../events/types.js';
import type { SeriesTotals, SecondSample } from '../gateway/metrics.js';
import type { RouteService, RouteTable } from '../gateway/route-table.js';

/** A route table as JSON; `generation` increases with every table the controller publishes. */
export interface WireTable {
  generation: number;
  services: RouteService[];
}

/** What a gateway worker tells the controller about its traffic, every second and after each table. */
export interface WorkerReport {
  type: 'report';
  worker: string;
  /** The generation of the table the worker routes with when it built this report (0: none from a controller yet). */
  generation: number;
  /** Non-zero in-flight counts by instance id: a removal waits until every worker reports 0. */
  instances: Array<[string, number]>;
  /** Non-zero in-flight counts by (service, version). */
  versions: Array<[string, string, number]>;
  /** Completed seconds not yet reported, per series (added up by the controller). */
  seconds: Array<{ service: string; version: string; samples: SecondSample[] }>;
  /** The worker's cumulative totals (replaced at each report, summed over workers). */
  totals: SeriesTotals[];
  /** The last `flush` request this report answers (0: none yet). */
  flushed: number;
}

/** Controller → supervisor. */
export type ControllerMessage =
  | { type: 'routes'; table: WireTable }
  | { type: 'readmit'; id: string }
  | { type: 'flush'; seq: number }
  /** Bind the internal gateway listener (DSR_GATEWAY_URL) at bind:port, or say which port it has. */
  | { type: 'internal'; id: number; bind: string; port: number }
  | { type: 'hello' }
  | { type: 'ready'; version: string }
  | { type: 'reload' };

/** Supervisor → controller. */
export type ToControllerMessage =
  | WorkerReport
  | { type: 'eject'; id: string; service: string; version: string; reason: string }
  | { type: 'workers'; ids: string[] }
  | { type: 'internal-bound'; id: number; port?: number; error?: string }
  | { type: 'record'; event: NewEvent };

/** Supervisor → gateway worker (`listen` carries the shared server handle). */
export type ToWorkerMessage =
  | { type: 'routes'; table: WireTable }
  | { type: 'readmit'; id: string }
  | { type: 'listen'; count: number }
  /** Carries the internal listener's handle: serve /gateway/ only on it. */
  | { type: 'listen-internal' }
  | { type: 'resync' }
  | { type: 'flush'; seq: number }
  | { type: 'drain'; timeoutMs: number };

/** Gateway worker → supervisor. */
export type WorkerMessage =
  | WorkerReport
  | { type: 'eject'; id: string; service: string; version: string; reason: string }
  | { type: 'hello'; worker: string }
  | { type: 'ready'; worker: string; version: string };

/** Whether `value` is an object with a string `type` (anything else on the channel is ignored). */
export function isMessage(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The table as JSON. */
export function encodeTable(table: RouteTable, generation: number): WireTable {
  return { generation, services: [...table.services.values()] };
}

/** The table back from JSON; services without a name are dropped rather than trusted. */
export function decodeTable(wire: WireTable): RouteTable {
  const services = new Map<string, RouteService>();
  for (const s of Array.isArray(wire.services) ? wire.services : []) {
    if (s && typeof s.name === 'string' && Array.isArray(s.versions)) services.set(s.name, s);
  }
  return { services };
}

/** Every instance id of a table (a restarted controller trusts these until its own probes say otherwise). */
export function instanceIds(wire: WireTable): Set<string> {
  return new Set(wire.services.flatMap((s) => s.versions.flatMap((v) => v.instances.map((i) => i.id))));
}

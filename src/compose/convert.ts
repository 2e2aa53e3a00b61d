// `dsr import-compose`: a compose file → one DSR manifest per service, and the list of what
// could not be carried over and why ("<service>.<field>: why"). Pure: files are read through
// `readFile`, and nothing is written here (src/cli/import-compose.ts writes).
import type { ComposeFile, ComposeService } from './compose-file.js';
import { convertHealthcheck } from './health.js';
import { notCarriedReason } from './reasons.js';
import { commandOf, dependsOn, environment, labelsOf, portOf, replicasOf, resourcesOf, secretOf, volumesOf } from './service-fields.js';
import { dsrDuration, dsrName, durationMsOf } from './values.js';

/** Where the compose file is (relative binds and env_files resolve from it; env_files must lie in it) and how to read a file. */
export interface ConvertOptions {
  composeDir: string;
  readFile: (absolutePath: string) => string | null;
}

/** One converted service: its manifest (as data, for YAML) and the secret env file it needs, if any. */
export interface ConvertedService {
  compose: string;
  name: string;
  manifest: Record<string, unknown>;
  secret: { name: string; content: string } | null;
}

export interface Conversion {
  services: ConvertedService[];
  notCarried: string[];
}

const HANDLED = new Set(['image', 'command', 'environment', 'env_file', 'volumes', 'healthcheck', 'ports', 'deploy', 'scale', 'depends_on', 'mem_limit', 'cpus', 'pids_limit', 'labels', 'stop_grace_period']);


/** Converts every service; names are made DSR-safe once, so dependsOn follows renames. */
export function convertCompose(file: ComposeFile, options: ConvertOptions): Conversion {
  const notCarried: string[] = file.ignoredTopLevel.map((k) => `(top level).${k}: ${notCarriedReason(k)}`);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const compose of file.services.keys()) {
    const base = dsrName(compose) ?? 'service';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 37)}-${n}`;
    taken.add(name);
    names.set(compose, name);
    if (name !== compose) notCarried.push(`${compose}: renamed to "${name}" (DSR names are lowercase letters, digits and "-")`);
  }
  const services = [...file.services].map(([compose, service]) => {
    const notes: string[] = [];
    const converted = convertService(compose, names.get(compose)!, service, names, options, notes);
    notCarried.push(...notes.map((n) => `${compose}.${n}`));
    return converted;
  });
  return { services, notCarried };
}

function convertService(compose: string, name: string, s: ComposeService, names: Map<string, string>, options: ConvertOptions, notes: string[]): ConvertedService {
  for (const key of Object.keys(s)) if (!HANDLED.has(key) && !key.startsWith('x-')) notes.push(`${key}: ${notCarriedReason(key)}`);
  const port = portOf(s, notes);
  const version: Record<string, unknown> = { name: 'v1', image: `${name}:latest` };
  if (typeof s['image'] === 'string') {
    version['image'] = s['image'];
    const tag = /:([^:/@]+)$/.exec(s['image'])?.[1]?.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
    if (tag && /^[a-z0-9][a-z0-9.-]{0,39}$/.test(tag) && tag !== 'latest') version['name'] = tag;
  } else notes.push(`image: missing; the manifest says ${name}:latest (${notCarriedReason('build')})`);
  const replicas = replicasOf(s, notes);
  if (replicas !== 1) version['replicas'] = replicas;
  const env = environment(s['environment'], notes);
  if (Object.keys(env).length > 0) version['env'] = env;
  const command = commandOf(s['command']);
  if (command) version['command'] = command;

  const spec: Record<string, unknown> = {};
  if (port !== null) spec['port'] = port;
  const volumes = volumesOf(s['volumes'], replicas, options, notes);
  // One writer at a time: old and new instances must not write the same data together. A host
  // folder is held to the same rule as a named volume (DSR cannot tell who else writes it).
  const readWrite = volumes.some((v) => v['readOnly'] !== true && v['shared'] !== true);
  if (readWrite) spec['strategy'] = 'Recreate';
  const { health, notes: healthNotes } = convertHealthcheck(s['healthcheck'], port);
  notes.push(...healthNotes);
  // Compose calls a service up once it runs; DSR would GET /health on a port. A TCP connect is
  // the closest safe check for a service with a port and no healthcheck of its own.
  if (health) spec['health'] = health;
  else if (port !== null) spec['health'] = { tcp: true };
  spec['versions'] = [version];
  if (volumes.length > 0) spec['volumes'] = volumes;
  const resources = resourcesOf(s, notes);
  if (Object.keys(resources).length > 0) spec['resources'] = resources;
  const secret = secretOf(name, s['env_file'], options, notes);
  if (secret) spec['secrets'] = [secret.name];
  const deps = dependsOn(s['depends_on'], names, notes);
  if (deps.length > 0) spec['dependsOn'] = deps;
  const labels = labelsOf(s['labels'], notes);
  if (Object.keys(labels).length > 0) spec['labels'] = labels;
  if (s['stop_grace_period'] !== undefined) {
    const ms = durationMsOf(s['stop_grace_period']);
    if (ms === null || ms > 24 * 3_600_000) notes.push(`stop_grace_period: ${JSON.stringify(s['stop_grace_period'])} is not a duration DSR accepts`);
    else spec['stopGracePeriod'] = dsrDuration(ms);
  }
  return { compose, name, manifest: { apiVersion: 'dsr/v1', kind: 'Service', metadata: { name }, spec }, secret };
}

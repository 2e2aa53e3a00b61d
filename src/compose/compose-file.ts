// Reads a docker compose file into plain data, or says why it is not one. Pure: the CLI reads
// the bytes. Anchors and `<<:` merge keys are resolved as compose resolves them.
import { parse } from 'yaml';

/** One compose service as written (fields are checked where they are converted). */
export type ComposeService = Record<string, unknown>;

/** The parts of a compose file the converter reads. */
export interface ComposeFile {
  services: Map<string, ComposeService>;
  /** Names declared under the top-level `volumes:` (named volumes). */
  volumes: Set<string>;
  /** Top-level keys DSR does not carry (networks, configs, secrets, include), for the notes. */
  ignoredTopLevel: string[];
}

/** Bad input: exit code 2, with a message that says what is wrong. */
export class ComposeInputError extends Error {}

const KNOWN_TOP_LEVEL = new Set(['version', 'name', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include']);
const NOT_CARRIED_TOP_LEVEL = new Set(['networks', 'configs', 'secrets', 'include']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses compose YAML; throws ComposeInputError for anything that is not a compose file with services. */
export function parseComposeFile(text: string): ComposeFile {
  let data: unknown;
  try {
    data = parse(text, { merge: true, maxAliasCount: 1000, uniqueKeys: true });
  } catch (error) {
    throw new ComposeInputError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(data)) throw new ComposeInputError('not a compose file: the top level must be a mapping with a "services:" key');
  const unknown = Object.keys(data).filter((k) => !KNOWN_TOP_LEVEL.has(k) && !k.startsWith('x-'));
  if (unknown.length > 0) {
    throw new ComposeInputError(`unknown top-level key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: a compose file has services, volumes, networks, configs, secrets, name, version and x-* extensions`);
  }
  const services = data['services'];
  if (!isRecord(services) || Object.keys(services).length === 0) throw new ComposeInputError('no services: a compose file needs a "services:" mapping with at least one service');
  const out = new Map<string, ComposeService>();
  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service)) throw new ComposeInputError(`service ${JSON.stringify(name)} is not a mapping`);
    out.set(name, service);
  }
  const volumes = isRecord(data['volumes']) ? new Set(Object.keys(data['volumes'])) : new Set<string>();
  return { services: out, volumes, ignoredTopLevel: Object.keys(data).filter((k) => NOT_CARRIED_TOP_LEVEL.has(k)) };
}

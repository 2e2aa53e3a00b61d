// The per-field conversions of one compose service (see convert.ts). Each appends to `notes`
// what it could not carry, as "<field>: why"; convert.ts prefixes the service name. Pure.
import { posix } from 'node:path';
import type { ComposeService } from './compose-file.js';
import { notCarriedReason } from './reasons.js';
import { composeMount, containerPort, dockerBytes, dsrMemory, dsrName, splitCommand } from './values.js';
import type { ConvertOptions } from './convert.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** The container side of the first TCP `ports:` entry; the others are noted. */
export function portOf(s: ComposeService, notes: string[]): number | null {
  const ports = Array.isArray(s['ports']) ? s['ports'] : [];
  let port: number | null = null;
  ports.forEach((entry, i) => {
    const p = containerPort(entry);
    if (p === null) notes.push(`ports[${i}]: ${JSON.stringify(entry)} is not a port DSR can read`);
    else if (p.protocol !== 'tcp') notes.push(`ports[${i}]: ${p.protocol} is not routed; DSR's gateway carries HTTP over TCP`);
    else if (port === null) port = p.port;
    else if (p.port !== port) notes.push(`ports[${i}]: a service has one port in DSR (${port}, the first); ${p.port} is reachable by name on DSR's network only`);
  });
  return port;
}

/** `deploy.replicas` (or `scale`), 0 to 100; other `deploy` keys are noted. */
export function replicasOf(s: ComposeService, notes: string[]): number {
  const deploy = isRecord(s['deploy']) ? s['deploy'] : {};
  for (const key of Object.keys(deploy)) if (key !== 'replicas' && key !== 'resources') notes.push(`deploy.${key}: ${key === 'restart_policy' ? notCarriedReason('restart') : notCarriedReason(key)}`);
  const raw = deploy['replicas'] ?? s['scale'];
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n <= 100) return n;
  notes.push(`deploy.replicas: ${JSON.stringify(raw)} is not 0 to 100; the manifest runs 1`);
  return 1;
}

/** `environment:` in list or map form, values as strings; shell-taken and interpolated values are noted. */
export function environment(raw: unknown, notes: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  const add = (key: string, value: string | null): void => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key)) return void notes.push(`environment.${key}: not a variable name DSR accepts`);
    if (value === null) return void notes.push(`environment.${key}: takes its value from the shell running compose; set it in the manifest or a secret`);
    if (value.includes('${') || /\$[A-Za-z_]/.test(value.replace(/\$\$/g, ''))) notes.push(`environment.${key}: compose interpolates variables in it and DSR does not; check the value`);
    env[key] = value.replace(/\$\$/g, '$');
  };
  if (Array.isArray(raw)) {
    for (const item of raw.map(String)) {
      const eq = item.indexOf('=');
      add(eq < 0 ? item : item.slice(0, eq), eq < 0 ? null : item.slice(eq + 1));
    }
  } else if (isRecord(raw)) {
    for (const [key, value] of Object.entries(raw)) add(key, value === null || value === undefined ? null : str(value));
  }
  return env;
}

/** `command:` as words: a string split like a shell, a list kept. */
export function commandOf(raw: unknown): string[] | null {
  const words = typeof raw === 'string' ? splitCommand(raw) : Array.isArray(raw) ? raw.map(str) : [];
  return words.length > 0 ? words : null;
}

/** `volumes:` as DSR volumes: named and bind; anonymous and tmpfs are noted. */
export function volumesOf(raw: unknown, replicas: number, options: ConvertOptions, notes: string[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  (Array.isArray(raw) ? raw : []).forEach((entry, i) => {
    const m = composeMount(entry);
    if (m === null) return void notes.push(`volumes[${i}]: ${JSON.stringify(entry)} is not a volume DSR can read`);
    if (m.type === 'anonymous') return void notes.push(`volumes[${i}]: anonymous volume at ${m.target} (compose drops it with the container): give it a name to keep its data, e.g. { name: data, mountPath: ${m.target} }`);
    if (m.type === 'other') return void notes.push(`volumes[${i}]: ${m.kind} mounts are not carried (${notCarriedReason('tmpfs')})`);
    if (m.type === 'bind') {
      const home = m.source.startsWith('~') ? `(~ is the home of whoever runs compose) ` : '';
      const hostPath = posix.resolve(options.composeDir, m.source.replace(/^~/, '.'));
      if (home) notes.push(`volumes[${i}]: ${home}mounted from ${hostPath}; check it`);
      out.push({ hostPath, mountPath: m.target, readOnly: m.readOnly });
      return;
    }
    const name = dsrName(m.source);
    if (name === null) return void notes.push(`volumes[${i}]: volume name ${JSON.stringify(m.source)} has no letter or digit`);
    const volume: Record<string, unknown> = { name, mountPath: m.target };
    if (m.readOnly) volume['readOnly'] = true;
    // Compose replicas already share the volume: say so, rather than refusing what ran.
    else if (replicas > 1) {
      volume['shared'] = true;
      notes.push(`volumes[${i}]: ${replicas} replicas write volume ${name} at once, as under compose: marked shared: true`);
    }
    out.push(volume);
  });
  return out;
}

/** `mem_limit`, `cpus`, `pids_limit` and `deploy.resources.limits` as `resources`. */
export function resourcesOf(s: ComposeService, notes: string[]): Record<string, unknown> {
  const deploy = isRecord(s['deploy']) ? s['deploy'] : {};
  const resources = isRecord(deploy['resources']) ? deploy['resources'] : {};
  const limits = isRecord(resources['limits']) ? resources['limits'] : {};
  if (resources['reservations'] !== undefined) notes.push(`deploy.resources.reservations: ${notCarriedReason('mem_reservation')}`);
  for (const key of Object.keys(limits)) if (!['memory', 'cpus', 'pids'].includes(key)) notes.push(`deploy.resources.limits.${key}: ${notCarriedReason(key)}`);
  const out: Record<string, unknown> = {};
  const memory = limits['memory'] ?? s['mem_limit'];
  if (memory !== undefined) {
    const bytes = dockerBytes(memory);
    if (bytes === null || bytes < 6 * 1024 * 1024) notes.push(`mem_limit: ${JSON.stringify(memory)} is not a memory limit of at least 6 MiB`);
    else out['memory'] = dsrMemory(bytes);
  }
  const cpus = limits['cpus'] ?? s['cpus'];
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (Number.isFinite(n) && n >= 0.01 && n <= 1024) out['cpus'] = n;
    else notes.push(`cpus: ${JSON.stringify(cpus)} is not from 0.01 to 1024`);
  }
  const pids = limits['pids'] ?? s['pids_limit'];
  if (pids !== undefined) {
    const n = Number(pids);
    if (Number.isInteger(n) && n >= 2 && n <= 4194304) out['pids'] = n;
    else notes.push(`pids_limit: ${JSON.stringify(pids)} is not from 2 to 4194304 (-1, unlimited, is the default)`);
  }
  return out;
}

/** The `env_file:`s merged into one secret env file named after the service, or null. */
export function secretOf(name: string, raw: unknown, options: ConvertOptions, notes: string[]): { name: string; content: string } | null {
  const entries = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const path = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry['path'] === 'string' ? entry['path'] : null;
    if (path === null) return void notes.push(`env_file[${i}]: not a file path`);
    // A compose file from elsewhere must not copy the operator's other files (../other/.env,
    // /proc/self/environ: DSR's own environment) into a secret its image then receives.
    const absolute = posix.resolve(options.composeDir, path);
    if (!absolute.startsWith(`${posix.resolve(options.composeDir)}/`)) {
      return void notes.push(`env_file[${i}]: ${path} is outside the compose file's folder and was not read; copy the variables the service needs into its secret file by hand`);
    }
    const text = options.readFile(absolute);
    if (text === null) {
      const required = !(isRecord(entry) && entry['required'] === false);
      if (required) notes.push(`env_file[${i}]: ${path} could not be read (missing, not a regular file in the compose file's folder, or over 1 MiB); create the secret file by hand`);
      return;
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(t);
      if (!m) return void notes.push(`env_file[${i}]: a line of ${path} is not KEY=value and was left out`);
      const value = /^(['"])(.*)\1$/.exec(m[2]!)?.[2] ?? m[2]!;
      lines.push(`${m[1]}=${value}`);
    }
  });
  return lines.length > 0 ? { name, content: `${lines.join('\n')}\n` } : null;
}

/** `depends_on:` in list or map form, following renames; conditions other than healthy are noted. */
export function dependsOn(raw: unknown, names: Map<string, string>, notes: string[]): string[] {
  const entries: Array<[string, unknown]> = Array.isArray(raw) ? raw.map((d) => [str(d), undefined]) : isRecord(raw) ? Object.entries(raw) : [];
  const out: string[] = [];
  for (const [dep, options] of entries) {
    const name = names.get(dep);
    if (!name) {
      notes.push(`depends_on.${dep}: no such service in this file`);
      continue;
    }
    if (!out.includes(name)) out.push(name);
    const condition = isRecord(options) ? options['condition'] : undefined;
    if (condition === 'service_started') notes.push(`depends_on.${dep}: condition service_started; DSR waits for a healthy instance (service_healthy)`);
    if (condition === 'service_completed_successfully') notes.push(`depends_on.${dep}: condition service_completed_successfully (DSR runs no one-off jobs); it waits for a healthy instance instead`);
  }
  return out;
}

/** `labels:` in list or map form; `dsr.` keys and invalid keys are noted. */
export function labelsOf(raw: unknown, notes: string[]): Record<string, string> {
  const pairs: Array<[string, string]> = Array.isArray(raw)
    ? raw.map(String).map((l) => (l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, '']))
    : isRecord(raw) ? Object.entries(raw).map(([k, v]) => [k, str(v)]) : [];
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (key.toLowerCase().startsWith('dsr.')) notes.push(`labels.${key}: the dsr. prefix is reserved for DSR's own labels`);
    else if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/.test(key)) notes.push(`labels.${key}: not a label key DSR accepts`);
    else out[key] = value.slice(0, 4096);
  }
  return out;
}

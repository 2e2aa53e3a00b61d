// Compose values in DSR's forms: names, commands, durations, memory sizes, ports, volumes. Pure,
// each with a table of named cases in test/unit/compose-values.test.ts.

/** A compose service or volume name as a DSR name: `My_App.1` → `my-app-1`; null when nothing is left. */
export function dsrName(name: string, max = 40): string | null {
  let out = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(out)) out = `s-${out}`;
  out = out.slice(0, max).replace(/-+$/, '');
  return out === '' ? null : out;
}

/**
 * Splits a command string as compose does (POSIX shell words, no expansion): quotes group,
 * a backslash escapes outside single quotes. `sh -c "echo 'a b'"` → ['sh', '-c', "echo 'a b'"].
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const DURATION_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A compose duration (`1m30s`, `500ms`, `2.5s`, `10`) in ms; null when it is not one. Bare numbers are seconds. */
export function durationMsOf(value: unknown): number | null {
  if (typeof value === 'number') return value >= 0 ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^([0-9]+(\.[0-9]+)?(us|ms|s|m|h))+$/.test(text)) return null;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)/g)) total += Number(n) * DURATION_UNITS[unit!]!;
  return Math.round(total);
}

/** A duration in ms as a DSR duration: 90000 → `90s`, 120000 → `2m`, 1500 → `1500ms`. */
export function dsrDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const DOCKER_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** A Docker memory size (`512m`, `1g`, `1024k`, `1.5G`, 1000000) in bytes, as Docker reads it (binary units); null when not one. */
export function dockerBytes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]{0,2})$/.exec(value.trim());
  const factor = match ? DOCKER_UNITS[match[2]!.toLowerCase()] : undefined;
  return match && factor !== undefined ? Math.floor(Number(match[1]) * factor) : null;
}

/** Bytes as a DSR memory quantity: exact Gi, Mi or Ki when possible, else bytes. 536870912 → `512Mi`. */
export function dsrMemory(bytes: number): string | number {
  for (const [suffix, factor] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (bytes % factor === 0) return `${bytes / factor}${suffix}`;
  return bytes;
}

/** One `ports:` entry: its container port and protocol, or null when it is not one DSR can read. */
export function containerPort(entry: unknown): { port: number; protocol: string } | null {
  if (typeof entry === 'number') return Number.isInteger(entry) && entry > 0 && entry < 65536 ? { port: entry, protocol: 'tcp' } : null;
  if (typeof entry === 'object' && entry !== null) {
    const { target, protocol } = entry as { target?: unknown; protocol?: unknown };
    const port = Number(target);
    return Number.isInteger(port) && port > 0 && port < 65536 ? { port, protocol: typeof protocol === 'string' ? protocol : 'tcp' } : null;
  }
  if (typeof entry !== 'string') return null;
  const [spec, protocol = 'tcp'] = entry.split('/');
  // `[ip:][host:]container`; an IPv6 host ip is bracketed, so the container side is after the last ':'.
  const side = spec!.slice(spec!.lastIndexOf(':') + 1);
  const port = Number(side.split('-')[0]);
  return Number.isInteger(port) && port > 0 && port < 65536 && /^[0-9]+(-[0-9]+)?$/.test(side) ? { port, protocol } : null;
}

/** One `volumes:` entry of a service, in short or long syntax. */
export type ComposeMount =
  | { type: 'named'; source: string; target: string; readOnly: boolean }
  | { type: 'bind'; source: string; target: string; readOnly: boolean }
  | { type: 'anonymous'; target: string }
  | { type: 'other'; kind: string; target: string };

function isPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

/** Reads a service's volume entry (`data:/var/lib/x:ro`, `./conf:/etc/x`, `/cache`, or `{ type, source, target, read_only }`). */
export function composeMount(entry: unknown): ComposeMount | null {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    if (parts.length === 1) return { type: 'anonymous', target: parts[0]! };
    const [source, target, mode = ''] = parts as [string, string, string?];
    const readOnly = mode.split(',').includes('ro');
    return isPath(source) ? { type: 'bind', source, target, readOnly } : { type: 'named', source, target, readOnly };
  }
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
  if (typeof e.target !== 'string') return null;
  const readOnly = e.read_only === true;
  const source = typeof e.source === 'string' ? e.source : undefined;
  if (e.type === 'volume' || e.type === undefined) return source ? { type: 'named', source, target: e.target, readOnly } : { type: 'anonymous', target: e.target };
  if (e.type === 'bind' && source) return { type: 'bind', source, target: e.target, readOnly };
  return { type: 'other', kind: String(e.type), target: e.target };
}

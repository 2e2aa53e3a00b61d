// Resource quantities of `spec.resources` (SPEC §8) turned into the engine's units. Pure: the
// semantic checks call these to say what is wrong, normalize calls them to convert.

const MIB = 1024 * 1024;

/** Smallest memory limit the Docker engine accepts (it refuses less than 6 MiB). */
export const MIN_MEMORY_BYTES = 6 * MIB;

/** Largest memory limit accepted (1 PiB): larger is a typo, and stays a safe integer. */
export const MAX_MEMORY_BYTES = 1024 ** 5;

const SUFFIXES: Record<string, number> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1000,
  K: 1000,
  M: 1000 ** 2,
  G: 1000 ** 3,
  T: 1000 ** 4,
};

const QUANTITY = /^([0-9]{1,16})(?:\.([0-9]{1,9}))?([A-Za-z]{0,2})$/;

/** A parsed memory quantity, or why it is not one (a message that says what to write). */
export type MemoryParse = { ok: true; bytes: number } | { ok: false; message: string };

const FORMS = 'write a whole number of bytes (e.g. 1000000) or a number with Ki, Mi, Gi, Ti (powers of 1024: 256Mi, 1.5Gi) or k, M, G, T (powers of 1000: 512M)';

/**
 * Parses a memory limit. Binary suffixes are powers of 1024, decimal ones powers of 1000, as in
 * Kubernetes; fractions are rounded down to whole bytes. Lowercase `m` and `g` are refused:
 * Docker reads `512m` as 512 MiB, Kubernetes as 0.512 bytes, so either reading would surprise
 * someone.
 *
 * Examples: `256Mi` → 268435456, `1Gi` → 1073741824, `512M` → 512000000, `1.5Gi` → 1610612736,
 * `1000000` (number or string) → 1000000.
 */
export function parseMemory(value: string | number): MemoryParse {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = QUANTITY.exec(text);
  if (!match) return { ok: false, message: `${JSON.stringify(value)} is not a memory size: ${FORMS}` };
  const [, whole, fraction, suffix] = match;
  const factor = SUFFIXES[suffix!];
  if (factor === undefined) {
    const hint = suffix === 'm' || suffix === 'g' ? ` ("${suffix}" means MiB/GiB to Docker but milli/giga to Kubernetes; write ${suffix === 'm' ? 'Mi' : 'Gi'})` : '';
    return { ok: false, message: `unknown unit "${suffix}" in ${JSON.stringify(value)}${hint}: ${FORMS}` };
  }
  if (fraction !== undefined && factor === 1) return { ok: false, message: `${JSON.stringify(value)} has a fraction of a byte: ${FORMS}` };
  const bytes = Math.floor(Number(`${whole}.${fraction ?? '0'}`) * factor);
  if (bytes < MIN_MEMORY_BYTES) return { ok: false, message: `${JSON.stringify(value)} is ${bytes} bytes, below Docker's minimum of 6Mi (6291456 bytes)` };
  if (bytes > MAX_MEMORY_BYTES) return { ok: false, message: `${JSON.stringify(value)} is more than 1Pi; check the unit` };
  return { ok: true, bytes };
}

/** Docker's NanoCpus for a number of cores: 0.5 → 500000000 (rounded to a whole nano-CPU). */
export function nanoCpus(cpus: number): number {
  return Math.round(cpus * 1e9);
}

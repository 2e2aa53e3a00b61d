import ms from 'ms';
import type { StringValue } from 'ms';

/**
 * Milliseconds in a duration the schema has already checked (`^[0-9]{1,9}(ms|s|m|h)$`),
 * e.g. "500ms" → 500, "5s" → 5000, "2m" → 120000.
 */
export function durationMs(value: string): number {
  const out = ms(value as StringValue);
  if (!Number.isFinite(out)) throw new Error(`durationMs: "${value}" is not a duration (the schema should have rejected it)`);
  return out;
}

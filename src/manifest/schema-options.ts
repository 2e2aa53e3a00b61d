// How schemas/service.schema.json is compiled, shared by the ahead-of-time generator
// (scripts/gen-validator.ts) and the loader's fallback compile (schema.ts), so both produce the
// same validator.
import { createHash } from 'node:crypto';

/** Our annotation keyword: the message shown when a value breaks a pattern or shape rule. */
export const MESSAGE_KEYWORD = 'x-message';

/**
 * Ajv options. allErrors: report every problem in a document at once, not just the first.
 * verbose: errors carry the offending data and the schema, which the messages quote.
 */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;

/** The hex SHA-256 of the schema file's text: what the generated validator is checked against. */
export function schemaHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// Defaults shared by the CLI commands (SPEC §6).
import { readFileSync } from 'node:fs';

/** The documented defaults of every flag. */
export const DEFAULTS = {
  manifests: './manifests',
  data: './data',
  port: 8000,
  host: '127.0.0.1',
  url: 'http://127.0.0.1:8000',
} as const;

/** DSR's version, from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

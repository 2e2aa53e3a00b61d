// The last route table on disk (<data>/routes.json), so a gateway worker that starts while the
// controller is not there yet (cold start, crash) routes the services that were running instead
// of answering 404 for them. Written atomically: a temporary file per writer, then rename().
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WireTable } from './protocol.js';

/** Where the table lives in a data folder. */
export function routesFile(dataDir: string): string {
  return join(dataDir, 'routes.json');
}

/** Writes the table; two writers never see each other's half-written file. */
export async function saveRoutes(file: string, table: WireTable): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(table));
  await rename(tmp, file);
}

/** The saved table, or null when there is none or it cannot be read (a worker then starts with none). */
export async function loadRoutes(file: string): Promise<WireTable | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<WireTable>;
    if (typeof parsed.generation !== 'number' || !Array.isArray(parsed.services)) return null;
    return { generation: parsed.generation, services: parsed.services };
  } catch {
    return null;
  }
}

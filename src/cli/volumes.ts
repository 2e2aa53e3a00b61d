// `dsr volumes` (the named volumes DSR keeps, and which containers use them) and
// `dsr volumes rm SERVICE NAME` (removes one, with the token; refused while in use).
import type { VolumeInfo } from '../runtime/runtime.js';
import { cliToken } from './token.js';
import { getJson, type TokenSource } from './remote.js';

interface Out {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** The table `dsr volumes` prints, e.g. `db  data  dsr-default-db-data  2026-12-02 04:00  dsr-db-v1-1`. */
export function renderVolumes(volumes: VolumeInfo[]): string[] {
  if (volumes.length === 0) return ['no named volumes'];
  const rows = [['SERVICE', 'NAME', 'DOCKER NAME', 'CREATED', 'IN USE BY'], ...volumes.map((v) => [
    v.service, v.name, v.dockerName, v.createdAt ? v.createdAt.replace('T', ' ').slice(0, 16) : '-', v.usedBy.length > 0 ? v.usedBy.join(', ') : '-',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** `dsr volumes`: lists the named volumes of the DSR at `base`. */
export async function volumesCommand(base: string, opts: { json: boolean }, out: Out): Promise<number> {
  try {
    const { status, body } = await getJson<{ volumes: VolumeInfo[]; error?: string }>(base, '/api/volumes');
    if (status !== 200) {
      out.stderr(`volumes: ${body.error ?? `DSR answered ${status}`}`);
      return 1;
    }
    out.stdout(opts.json ? JSON.stringify(body.volumes, null, 2) : renderVolumes(body.volumes).join('\n'));
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

/** `dsr volumes rm SERVICE NAME`: removes a named volume no container uses. */
export async function volumeRemoveCommand(base: string, auth: TokenSource, service: string, name: string, out: Out): Promise<number> {
  try {
    const { token, from } = await cliToken('volumes rm', base, auth.envToken, auth.dataDir);
    const path = `/api/services/${encodeURIComponent(service)}/volumes/${encodeURIComponent(name)}`;
    const { status, body } = await getJson<{ removed?: string; error?: string }>(base, path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    if (status === 401 && from !== 'DSR_TOKEN') {
      out.stderr(`volumes rm ${service} ${name}: DSR refused the token read from ${from}: it was started with DSR_TOKEN, or with another data folder; set DSR_TOKEN or pass --data`);
      return 1;
    }
    if (status !== 200) {
      out.stderr(`volumes rm ${service} ${name}: ${body.error ?? `DSR answered ${status}`}`);
      return 1;
    }
    out.stdout(`removed volume ${body.removed}`);
    return 0;
  } catch (error) {
    out.stderr((error as Error).message);
    return 1;
  }
}

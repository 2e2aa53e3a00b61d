// Where the processes of `dsr run` meet on disk: <data>/run/ holds the controller's private API
// socket and one pid file per process (an operator, or a test, finds the controller there).
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder of sockets and pid files. */
export function runDir(dataDir: string): string {
  return join(dataDir, 'run');
}

/**
 * The unix socket the controller serves the API on (the gateway workers forward to it). A unix
 * socket path may hold at most 107 bytes: a deep data folder gets one under the temp folder,
 * named by a hash of the data folder so every process computes the same path.
 */
export function apiSocket(dataDir: string): string {
  const inData = join(runDir(dataDir), 'api.sock');
  if (Buffer.byteLength(inData) <= 100) return inData;
  return join(tmpdir(), `dsr-api-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`);
}

/** The pid file of a role: `supervisor`, `controller` or `gateway-<id>`. */
export function pidFile(dataDir: string, role: string): string {
  return join(runDir(dataDir), `${role}.pid`);
}

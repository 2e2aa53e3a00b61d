// The worker's exec health check (`health: { exec: ["node", "health.js"] }`): exit 0 when the
// worker reached the store within the last HEARTBEAT_MAX_AGE_MS (default 10 s), 1 otherwise.
import { statSync } from 'node:fs';

const maxAge = Number(process.env.HEARTBEAT_MAX_AGE_MS ?? 10_000);
try {
  const age = Date.now() - statSync('/state/heartbeat').mtimeMs;
  if (age > maxAge) {
    console.error(`no successful poll for ${Math.round(age / 1000)} s`);
    process.exit(1);
  }
} catch {
  console.error('no successful poll yet');
  process.exit(1);
}

// A compose healthcheck as a DSR health check: `CMD` → exec, `CMD-SHELL` (or a string) →
// exec through `sh -c`, and a plain port check (`nc -z localhost 5432`) → tcp. Pure.
import { dsrDuration, durationMsOf } from './values.js';

/** The DSR `health:` mapping, and what of the healthcheck could not be carried. */
export interface HealthConversion {
  health: Record<string, unknown> | null;
  notes: string[];
}

// `nc -z [-w N] host port`, `nc -zv host port`: a connect to the service's own port.
const NC_CHECK = /^(?:nc|netcat)\s+(?:-[a-z]*z[a-z]*\s+)(?:-w\s*[0-9]+\s+)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\s+([0-9]{1,5})$/;

function command(test: unknown): string[] | 'none' | null {
  if (typeof test === 'string') return test.trim() === '' ? null : ['sh', '-c', test];
  if (!Array.isArray(test) || test.length === 0) return null;
  const [kind, ...rest] = test.map(String);
  if (kind === 'NONE') return 'none';
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['sh', '-c', rest.join(' ')];
  return null;
}

/** Converts `healthcheck:`; `port` is the DSR port the service will have (null for a worker). */
export function convertHealthcheck(hc: unknown, port: number | null): HealthConversion {
  if (typeof hc !== 'object' || hc === null) return { health: null, notes: [] };
  const h = hc as Record<string, unknown>;
  const notes: string[] = [];
  if (h['disable'] === true) return { health: null, notes: ['healthcheck.disable: DSR always checks an instance; it gets the default check'] };
  const cmd = command(h['test']);
  if (cmd === 'none') return { health: null, notes: ['healthcheck.test NONE: DSR always checks an instance; it gets the default check'] };
  if (cmd === null) return { health: null, notes: ['healthcheck.test: not a CMD, CMD-SHELL or string test'] };
  const health: Record<string, unknown> = {};
  const shell = cmd[0] === 'sh' && cmd[1] === '-c' ? cmd[2]!.trim() : cmd.join(' ');
  const nc = NC_CHECK.exec(shell);
  if (nc && port !== null && Number(nc[1]) === port) health['tcp'] = true;
  else health['exec'] = cmd;
  for (const [key, field] of [['interval', 'interval'], ['timeout', 'timeout'], ['start_period', 'startPeriod']] as const) {
    if (h[key] === undefined) continue;
    const ms = durationMsOf(h[key]);
    const positive = key !== 'start_period';
    if (ms === null || ms > 24 * 3_600_000 || (positive && ms <= 0)) notes.push(`healthcheck.${key}: ${JSON.stringify(h[key])} is not a duration DSR accepts`);
    else health[field] = dsrDuration(ms);
  }
  if (h['retries'] !== undefined) {
    const retries = Number(h['retries']);
    if (Number.isInteger(retries) && retries >= 1) health['failureThreshold'] = Math.min(retries, 100);
    else notes.push(`healthcheck.retries: ${JSON.stringify(h['retries'])} is not a count from 1`);
  }
  if (h['start_interval'] !== undefined) notes.push('healthcheck.start_interval: DSR checks at `interval` during the start period too');
  return { health, notes };
}

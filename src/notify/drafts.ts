// The wording of each alert: turns the events of one incident into a subject and a body a
// person can act on. Pure; alerts.ts decides which events form an incident.
import type { DsrEvent } from '../events/types.js';
import type { Alert } from './alert.js';
import { clip, dataNumber, dataString, formatSpan, renderBody, shortRevision } from './render.js';

/** An alert before alerts.ts gives it its incident key and time. */
export type Draft = Omit<Alert, 'key' | 'time'>;

/** One failed instance inside an `instance.replaced` incident. */
export interface FailedInstance {
  eventId: number;
  container: string;
  reason: string;
  /** The last failed health check of the container (from instance.unhealthy), if any. */
  probeError: string | null;
}

const at = (e: DsrEvent) => ({ service: e.service, version: e.version, revision: e.revision });
const rev = (e: DsrEvent): string => shortRevision(e.revision) ?? 'an unknown commit';

/** rollout.aborted: the canary lost; traffic is back on the stable. */
export function rolloutAborted(e: DsrEvent): Draft {
  const service = e.service ?? 'a service';
  const canary = e.version ?? 'the canary';
  const reason = dataString(e.data, 'reason') ?? e.message;
  const step = dataNumber(e.data, 'step');
  const weight = dataNumber(e.data, 'weight');
  const stable = dataString(e.data, 'stable') ?? 'the stable version';
  const where = `${step === null ? '' : ` at step ${step + 1}`}${weight === null ? '' : ` with ${weight}% of traffic on it`}`;
  return draft('rollout.aborted', 'warning', `${service}/${canary}: rollout aborted (${clip(reason, 80)})`, e, [e.id], {
    what: `The rollout of ${service} ${canary} (commit ${rev(e)}) was aborted${where}. All traffic is back on ${stable}.`,
    why: [reason],
    next: [
      `see why ${canary} failed: "dsr events --service ${service} --kind analysis." shows each analysis result`,
      `fix it and commit a new version, or run "dsr retry ${service}" to roll ${canary} out again from step 1`,
    ],
  });
}

/** image.pull-failed, instance.backoff or reconcile.error: a service cannot reach its desired state. */
export function serviceDegraded(e: DsrEvent): Draft {
  const service = e.service ?? 'a service';
  const status = `"dsr status ${service}" shows when it is healthy again`;
  if (e.kind === 'image.pull-failed') {
    const image = dataString(e.data, 'image') ?? 'its image';
    return draft('service.degraded', 'error', `${service}: degraded: image ${clip(image, 60)} cannot be pulled`, e, [e.id], {
      what: `${service} is degraded: DSR cannot start ${e.version ?? 'its new instances'} because pulling ${image} failed (commit ${rev(e)}).`,
      why: [dataString(e.data, 'error') ?? e.message],
      next: [`build or load the image on this host (docker build -t ${image} .), or fix the image name in the manifest and commit`, `DSR retries on its own, unless the registry says the image does not exist (then "dsr retry ${service}" once it is there); ${status}`],
    });
  }
  if (e.kind === 'instance.backoff') {
    const failures = dataNumber(e.data, 'failures');
    const id = `${service}/${e.version ?? '?'}`;
    return draft('service.degraded', 'error', `${id}: degraded: instances keep failing`, e, [e.id], {
      what: `${service} is degraded: instances of ${e.version ?? 'one version'} failed${failures ? ` ${failures} times in a row` : ' repeatedly'}, so DSR waits before replacing them again (back-off up to 5 min).`,
      why: [e.message],
      next: [
        `see why they fail: "dsr events --service ${service} --kind instance." lists each exit code and failed health check`,
        'fix the app or its manifest (memory limit, health check, environment) and commit, or set the previous version back in the manifest',
      ],
    });
  }
  if (e.kind === 'reconcile.blocked') {
    const advice = dataString(e.data, 'advice') ?? e.message;
    return draft('service.degraded', 'error', `${service}: degraded: needs a person`, e, [e.id], {
      what: `${service} is degraded: DSR stopped an action that no retry can fix (commit ${rev(e)}) and will not try it again on its own.`,
      why: [dataString(e.data, 'error') ?? e.message],
      next: [advice, status],
    });
  }
  const errors = Array.isArray(e.data.errors) ? e.data.errors.filter((x): x is string => typeof x === 'string') : [];
  return draft('service.degraded', 'error', `${service}: degraded: DSR cannot apply its manifest`, e, [e.id], {
    what: `${service} is degraded: DSR could not apply its desired state at commit ${rev(e)} and retries with back-off.`,
    why: errors.length > 0 ? errors.slice(0, 5) : [e.message],
    next: ['fix the cause named above on this host (Docker, a port or name conflict, disk space), or fix the manifest and commit', status],
  });
}

/** instance.failed, grouped: instances of one version died or failed health checks and were replaced. */
export function instancesReplaced(last: DsrEvent, failed: FailedInstance[], windowMs: number): Draft {
  const service = last.service ?? 'a service';
  const id = `${service}/${last.version ?? '?'}`;
  const n = failed.length;
  const subject = n === 1 ? `${id}: instance ${failed[0]!.container} failed and was replaced` : `${id}: ${n} instances replaced in ${formatSpan(windowMs)}`;
  const lines = failed.slice(0, 5).map((f) => `${f.container}: ${f.reason}${f.probeError ? ` (last check: ${f.probeError})` : ''}`);
  if (n > 5) lines.push(`… and ${n - 5} more`);
  return draft('instance.replaced', 'warning', subject, last, failed.map((f) => f.eventId), {
    what: n === 1
      ? `Instance ${failed[0]!.container} of ${id} failed; DSR removed it and started a replacement (commit ${rev(last)}).`
      : `${n} instances of ${id} failed within ${formatSpan(windowMs)}; DSR removed each and started replacements (commit ${rev(last)}).`,
    why: lines,
    next: [
      ...failureHints(failed.map((f) => f.reason)),
      `if they keep failing DSR backs off and sends a "degraded" alert; "dsr events --service ${service} --kind instance." lists every failure`,
    ],
  });
}

/** What a reason usually means, once per kind of reason. */
function failureHints(reasons: string[]): string[] {
  const hints = new Set<string>();
  for (const r of reasons) {
    if (/code 137\b/.test(r)) hints.add('exit code 137: the container was killed (SIGKILL), usually by the out-of-memory killer: check the host\'s memory (free -m, dmesg) and the app\'s memory use');
    else if (/exited with code/.test(r)) hints.add('the app exited on its own: run its image by hand (docker run --rm <image>) to see its output');
    else if (/health check/.test(r)) hints.add('the app stopped answering its health check: check the health path and whether it is overloaded or stuck');
    else hints.add('the container stopped: check whether someone or something on the host (docker stop, the OOM killer) stopped it');
  }
  return [...hints];
}

/** manifest.invalid: a file that DSR will not apply at this commit. */
export function manifestInvalid(e: DsrEvent): Draft {
  const file = dataString(e.data, 'file') ?? 'a manifest file';
  const services = Array.isArray(e.data.services) ? e.data.services.filter((s): s is string => typeof s === 'string') : [];
  const errors = (Array.isArray(e.data.errors) ? e.data.errors : []).flatMap(readManifestError);
  const first = errors[0];
  const kept = services.length > 0 ? `${services.join(', ')} stay${services.length === 1 ? 's' : ''} at the last valid state` : 'nothing is applied from it';
  return draft('manifest.invalid', 'warning', `manifest ${file} is invalid at ${rev(e)}`, e, [e.id], {
    what: `${file} is invalid at commit ${rev(e)}; ${kept}.`,
    why: errors.length > 0 ? errors.slice(0, 10).map((x) => `${x.line > 0 ? `line ${x.line}, column ${x.column}: ` : ''}${x.path ? `${x.path}: ` : ''}${x.message}`) : [e.message],
    next: [
      first && first.line > 0 ? `fix ${file} line ${first.line}${first.path ? ` (${first.path})` : ''} and commit` : `fix ${file} and commit`,
      '"dsr validate" checks the folder with the same rules before you push',
    ],
  });
}

function readManifestError(x: unknown): Array<{ line: number; column: number; path: string; message: string }> {
  if (typeof x !== 'object' || x === null) return [];
  const r = x as Record<string, unknown>;
  if (typeof r.message !== 'string') return [];
  return [{ line: dataNumber(r, 'line') ?? 0, column: dataNumber(r, 'column') ?? 0, path: dataString(r, 'path') ?? '', message: r.message }];
}

/** docker.unavailable: DSR cannot reach the engine. */
export function dockerUnavailable(e: DsrEvent): Draft {
  return draft('docker.unavailable', 'critical', 'Docker engine unavailable: DSR cannot reconcile', e, [e.id], {
    what: 'DSR cannot reach the Docker engine. Running containers keep serving through the gateway, but DSR cannot start, replace or remove any until Docker answers again.',
    why: [dataString(e.data, 'error') ?? e.message],
    next: ['check the Docker daemon on this host: systemctl status docker; docker info', 'if DSR runs in a container, check that the Docker socket is mounted into it', 'a resolved note follows when DSR reaches Docker again'],
  });
}

/** docker.available after an alerted docker.unavailable: the resolved note. */
export function dockerAvailable(down: DsrEvent, up: DsrEvent, downForMs: number): Draft {
  return draft('docker.available', 'info', `resolved: Docker engine reachable again (down ${formatSpan(downForMs)})`, up, [down.id, up.id], {
    what: `DSR reaches the Docker engine again after ${formatSpan(downForMs)} and reconciles every service.`,
    why: [],
    next: ['nothing, unless "dsr status" shows a service that is not back in sync'],
  });
}

function draft(type: Draft['type'], severity: Draft['severity'], subject: string, e: DsrEvent, eventIds: number[], body: { what: string; why: string[]; next: string[] }): Draft {
  const where = at(e);
  return { type, severity, subject, ...where, eventIds, text: renderBody({ ...body, ...where, revision: shortRevision(e.revision), eventIds }) };
}

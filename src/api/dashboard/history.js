// The history of a service's rollouts, derived from its events (oldest first). Pure, no DOM: the
// service page draws it and test/unit/dashboard-history.test.ts checks it.
//
// A rollout starts with rollout.started, rollout.retried or rollout.replaced (which also ends the
// one it replaces), collects its weights and verdicts, and ends with rollout.completed, .aborted,
// .reverted or .cancelled. One still open at the end is "in progress".

const ENDS = { 'rollout.completed': 'completed', 'rollout.aborted': 'aborted', 'rollout.reverted': 'reverted', 'rollout.cancelled': 'cancelled' };

/**
 * @param {Array<{id: number, time: string, kind: string, version: string | null, message: string, data: Record<string, unknown>}>} events
 * @returns {Array<{canary: string, stable: string | null, started: string, ended: string | null, durationMs: number | null,
 *   result: string, weights: number[], verdicts: {pass: number, fail: number, inconclusive: number}, reason: string | null}>}
 *   newest first
 */
export function rolloutHistory(events, now = Date.now()) {
  const done = [];
  let open = null;
  const close = (e, result, reason) => {
    open.ended = e.time;
    open.durationMs = Date.parse(e.time) - Date.parse(open.started);
    open.result = result;
    open.reason = reason;
    done.push(open);
    open = null;
  };
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    if (e.kind === 'rollout.started' || e.kind === 'rollout.retried' || e.kind === 'rollout.replaced') {
      if (open) close(e, 'replaced', `replaced by ${e.version}`);
      open = {
        canary: e.version ?? '?',
        stable: typeof e.data.stable === 'string' ? e.data.stable : null,
        started: e.time,
        ended: null,
        durationMs: null,
        result: 'in progress',
        weights: [],
        verdicts: { pass: 0, fail: 0, inconclusive: 0 },
        reason: e.kind === 'rollout.retried' ? 'retried' : null,
      };
      continue;
    }
    if (!open) continue;
    if (e.kind === 'rollout.weight' && typeof e.data.to === 'number') open.weights.push(e.data.to);
    else if (e.kind.startsWith('analysis.')) {
      const result = e.kind.slice('analysis.'.length);
      if (result in open.verdicts) open.verdicts[result]++;
    } else if (e.kind in ENDS) close(e, ENDS[e.kind], e.kind === 'rollout.aborted' ? e.message : null);
  }
  if (open) {
    open.durationMs = now - Date.parse(open.started);
    done.push(open);
  }
  return done.reverse();
}

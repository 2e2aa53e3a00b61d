// What a failed attempt means: eject the instance? retry elsewhere? which status for the client?
// Pure, so the rules read as a table:
//
//   failure                                   eject  retry                          status
//   could not connect (refused, unreachable,  yes    if the body has not started    502
//     connect timeout)                               (nothing reached the instance)
//   reset/closed before any response byte,    yes    idempotent method and body     502
//     on a fresh connection                          not started
//   same, on a reused keep-alive connection   no     idempotent method and body     502
//     (a stale pooled socket, or the instance        not started
//     just died: its next fresh connect ejects it)
//   no response within upstreamTimeoutMs      no     no (it may still be working)   504
//   cut after the response started           no     no (bytes already sent)        —

/** Methods RFC 9110 §9.2.2 calls idempotent. */
export const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** What is known when an attempt fails. */
export interface FailureFacts {
  /** The TCP connection was established (always true for a reused socket). */
  connected: boolean;
  reusedSocket: boolean;
  /** Response headers arrived. */
  responseStarted: boolean;
  /** Some of the client's body was handed to this attempt. */
  bodyStarted: boolean;
  method: string;
  timedOut: 'connect' | 'response' | null;
}

/** The decision for a failed attempt. */
export interface FailureVerdict {
  eject: boolean;
  retry: boolean;
  status: 502 | 504;
}

/** Applies the table above. */
export function judgeFailure(f: FailureFacts): FailureVerdict {
  if (f.responseStarted) return { eject: false, retry: false, status: 502 };
  if (f.timedOut === 'response') return { eject: false, retry: false, status: 504 };
  if (f.timedOut === 'connect' || !f.connected) return { eject: true, retry: !f.bodyStarted, status: 502 };
  const retry = !f.bodyStarted && IDEMPOTENT.has(f.method);
  return { eject: !f.reusedSocket, retry, status: 502 };
}

/** A short description of an error for events and JSON bodies: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9'. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}

// Why an operator's command (rollback, unpin, promote, abort, pause, resume, retry) was not
// applied, as the controller knows it: which service, what conflicts, whether DSR could act at
// all. HTTP knows nothing of this file's callers: src/api/command-status.ts maps each refusal to
// a status code, so the controller stays usable from anything that is not an HTTP server.

/**
 * The kinds of refusal:
 *   unknown-service  the name is not declared                     (the API answers 404)
 *   rejected         the command conflicts with the service's state
 *                    or was superseded by a newer command          (409)
 *   unavailable      DSR is shutting down or the engine is out     (503)
 */
export type CommandRefusal = 'unknown-service' | 'rejected' | 'unavailable';

/** A command an operator sent that cannot apply now; the message says why and what to do. */
export class CommandError extends Error {
  constructor(
    readonly refusal: CommandRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

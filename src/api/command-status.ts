// The HTTP answer to a refused operator command: the controller says what kind of refusal it is
// (src/controller/command-error.ts), the API alone decides which status code that is.
import type { Response } from 'express';
import { CommandError, type CommandRefusal } from '../controller/command-error.js';

/** The status code of each kind of refusal. */
export const REFUSAL_STATUS: Readonly<Record<CommandRefusal, number>> = {
  'unknown-service': 404,
  rejected: 409,
  unavailable: 503,
};

/** Answers a CommandError with its status and message; rethrows anything else (express answers 500). */
export function answerRefusal(res: Response, error: unknown): void {
  if (!(error instanceof CommandError)) throw error;
  res.status(REFUSAL_STATUS[error.refusal]).json({ error: error.message });
}

/** An event log operation failed; `message` says which operation and on what, `cause` why. */
export class EventLogError extends Error {
  override readonly name = 'EventLogError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A store operation failed; `message` says which operation on which file, `cause` why. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

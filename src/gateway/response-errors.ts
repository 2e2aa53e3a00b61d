// The error type of the upstream response parser, in its own file so the head parser and the body
// parser can share it without importing each other.

/** The upstream sent something that is not a valid HTTP/1.1 response. */
export class ResponseParseError extends Error {
  override readonly name = 'ResponseParseError';
}

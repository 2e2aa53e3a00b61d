// The client's request body as the stream undici sends upstream. undici destroys the stream it
// was given once it is done with it, and destroying node's IncomingMessage before its end closes
// the client's socket, which would cut the gateway's own answer (a 502, or an instance's early
// 413). So undici gets this stand-in: it reads the client's body with backpressure (undici's
// pause and resume reach the client), and destroying it leaves the client alone. It starts
// reading only when undici first asks, i.e. once connected, so an attempt whose connect failed
// leaves the body untouched for the next one.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** A stream of `req`'s body for one upstream attempt. */
export class BodySource extends Readable {
  /** Whether any of the body was taken from the client (an attempt that started it cannot be retried). */
  started = false;

  constructor(private readonly req: IncomingMessage) {
    super();
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.req.on('data', this.onData);
      this.req.on('end', this.onEnd);
      this.req.on('aborted', this.onAborted);
    }
    this.req.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.detach();
    callback(err);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.req.pause();
  };

  private readonly onEnd = (): void => {
    this.detach();
    this.push(null);
  };

  private readonly onAborted = (): void => {
    this.destroy(new Error('the client aborted its request body'));
  };

  private detach(): void {
    this.req.off('data', this.onData);
    this.req.off('end', this.onEnd);
    this.req.off('aborted', this.onAborted);
  }
}

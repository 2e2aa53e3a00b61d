// Streams a client's request body onto an upstream connection with backpressure: when the socket's
// buffer is full the client is paused until it drains, so an upload of any size holds one
// socket buffer in memory. Bodies the client sent chunked are chunk-encoded again (node decoded
// them); bodies with a Content-Length go through as they are.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** Starts pumping; `onDone` runs after the last byte was written. Returns a function that stops. */
export function pumpBody(req: IncomingMessage, socket: Socket, chunked: boolean, onDone: () => void): () => void {
  const onDrain = (): void => {
    req.resume();
  };
  const onData = (chunk: Buffer): void => {
    if (chunk.length === 0) return; // an empty chunk would end a chunked body early
    let ok: boolean;
    if (chunked) {
      socket.cork();
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      ok = socket.write('\r\n', 'latin1');
      socket.uncork();
    } else {
      ok = socket.write(chunk);
    }
    if (!ok) {
      req.pause();
      socket.once('drain', onDrain);
    }
  };
  const stop = (): void => {
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    socket.removeListener('drain', onDrain);
  };
  const onEnd = (): void => {
    stop();
    if (chunked) socket.write('0\r\n\r\n', 'latin1');
    onDone();
  };
  req.on('data', onData);
  req.on('end', onEnd);
  return stop;
}

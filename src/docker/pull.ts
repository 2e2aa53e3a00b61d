// Reads Docker's pull progress stream. A pull can fail after the request was accepted: the
// engine then reports the error as a line of the stream, not as an HTTP status.
import { ImagePullError } from '../runtime/errors.js';
import { JsonLineSplitter } from './json-lines.js';

/** One progress line of a pull, as DSR reports it: `{ status: 'Downloading', detail: 'a1b2c3: [==>  ] 3MB/10MB' }`. */
export interface PullProgress {
  status: string;
  detail?: string;
}

/** A pull stream line as progress, an error message, or nothing worth reporting. */
export function readPullLine(raw: unknown): { progress: PullProgress } | { error: string } | null {
  if (!raw || typeof raw !== 'object') return null;
  const line = raw as { status?: unknown; id?: unknown; progress?: unknown; error?: unknown; errorDetail?: { message?: unknown } };
  if (typeof line.error === 'string' || typeof line.errorDetail?.message === 'string') {
    return { error: String(line.errorDetail?.message ?? line.error) };
  }
  if (typeof line.status !== 'string') return null;
  const parts = [line.id, line.progress].filter((p): p is string => typeof p === 'string' && p !== '');
  return { progress: parts.length ? { status: line.status, detail: parts.join(': ') } : { status: line.status } };
}

/** Resolves when the pull stream ends cleanly; rejects with ImagePullError on an error line or a broken stream. */
export function followPull(image: string, stream: NodeJS.ReadableStream, onProgress: (p: PullProgress) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const splitter = new JsonLineSplitter();
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    const handle = (values: unknown[]): void => {
      for (const raw of values) {
        const line = readPullLine(raw);
        if (line && 'error' in line) settle(new ImagePullError(image, line.error));
        else if (line && !settled) onProgress(line.progress);
      }
    };
    stream.on('data', (chunk: Buffer | string) => handle(splitter.push(chunk)));
    stream.on('error', (err: Error) => settle(new ImagePullError(image, `the pull stream broke: ${err.message}`, { cause: err })));
    stream.on('end', () => {
      handle(splitter.flush());
      settle();
    });
    // 'close' after 'end' is a no-op; 'close' alone means the engine went away mid-pull.
    stream.on('close', () => settle(new ImagePullError(image, 'the pull stream closed before the pull finished')));
  });
}

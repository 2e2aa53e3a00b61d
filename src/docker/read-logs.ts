// Reading a log stream as lines, for a container (DockerRuntime) or a Swarm service (SwarmRuntime):
// both endpoints take the same options and answer with the same multiplexed frames.
import { LogDemuxer } from './log-frames.js';
import type { LogOptions, RawLogLine } from '../runtime/runtime.js';

/** The log endpoint of one container or service, as dockerode exposes it. */
export type LogSource = (options: {
  stdout: true;
  stderr: true;
  timestamps: true;
  follow: boolean;
  since: number;
  tail?: number;
  abortSignal?: AbortSignal | undefined;
}) => Promise<Buffer | NodeJS.ReadableStream>;

/**
 * Reads a log as complete lines (demultiplexed, timestamped), calling `onLine` for each; with
 * `follow`, until the stream ends or `signal` aborts. `sinceMs` and `tail` bound what is read from
 * before now ('all' = everything). `call` wraps engine errors with the operation.
 */
export async function readLogs(
  source: LogSource,
  options: LogOptions,
  onLine: (line: RawLogLine) => void,
  call: <T>(operation: string, fn: () => Promise<T>) => Promise<T>,
  what: string,
): Promise<void> {
  // The typings say number only; the engine takes "all" (its default) as well.
  const tail = options.tail === 'all' ? undefined : options.tail;
  const base = { stdout: true, stderr: true, timestamps: true, ...(tail === undefined ? {} : { tail }), since: options.sinceMs === undefined ? 0 : Math.floor(options.sinceMs / 1000) } as const;
  const demux = new LogDemuxer();
  if (!options.follow) {
    // Without follow, dockerode buffers the whole answer (bounded by tail/since).
    const body = await call(`read the logs of ${what}`, () => source({ ...base, follow: false, abortSignal: options.signal }));
    for (const line of [...demux.push(Buffer.isBuffer(body) ? body : Buffer.from(String(body))), ...demux.end()]) onLine(line);
    return;
  }
  const stream = (await call(`follow the logs of ${what}`, () => source({ ...base, follow: true, abortSignal: options.signal }))) as NodeJS.ReadableStream;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      stream.removeAllListeners('data');
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    stream.on('data', (chunk: Buffer) => demux.push(chunk).forEach(onLine));
    stream.once('end', () => {
      demux.end().forEach(onLine);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    });
    stream.once('error', () => {
      options.signal?.removeEventListener('abort', stop);
      resolve();
    });
  });
}

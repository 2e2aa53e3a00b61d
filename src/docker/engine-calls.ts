// The engine calls both runtimes on a Docker engine make the same way (containers in
// docker-runtime.ts, Swarm services in swarm/swarm-runtime.ts): every failure wrapped with the
// operation it was part of, some HTTP statuses counted as success, images looked up and pulled,
// an owner's container events followed.
import type Dockerode from 'dockerode';
import { ImagePullError, dockerMessage, isConnectionError, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import type { RuntimeEvent } from '../runtime/runtime.js';
import { CONTAINER_ACTIONS, watchEvents } from './event-stream.js';
import type { WatchOptions } from './event-stream.js';
import { ownerLabelFilters } from './labels.js';
import { followPull } from './pull.js';
import type { PullProgress } from './pull.js';

export class EngineCalls {
  constructor(
    private readonly docker: Dockerode,
    /** `unix:///var/run/docker.sock` or `http://host:2375`, for error messages. */
    readonly endpoint: string,
  ) {}

  /** Runs one engine call, wrapping its errors with the operation it was part of. */
  async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrapDockerError(this.endpoint, operation, err);
    }
  }

  /** Like call(), but the given HTTP statuses count as success and resolve undefined. */
  async callAllowing<T>(operation: string, okStatuses: number[], fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const status = statusCodeOf(err);
      if (status !== null && okStatuses.includes(status)) return undefined;
      throw wrapDockerError(this.endpoint, operation, err);
    }
  }

  /** Whether the image is present on this engine. */
  async hasImage(image: string): Promise<boolean> {
    const found = await this.callAllowing(`inspect image ${image}`, [404], () => this.docker.getImage(image).inspect());
    return found !== undefined;
  }

  /** Pulls an image on this engine; registry and engine failures become ImagePullError. */
  async pullImage(image: string, onProgress: (p: PullProgress) => void): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(image);
    } catch (err) {
      if (isConnectionError(err)) throw wrapDockerError(this.endpoint, `pull ${image}`, err);
      throw new ImagePullError(image, dockerMessage(err), { cause: err });
    }
    await followPull(image, stream, onProgress);
  }

  /**
   * Follows the container events of `owner`'s containers on this engine (event-stream.ts:
   * reconnecting with back-off), each turned into a RuntimeEvent by `parse`; call the result to stop.
   */
  watchOwnerEvents(owner: string, onEvent: (e: RuntimeEvent) => void, parse?: WatchOptions['parse']): () => void {
    const filters = { type: ['container' as const], label: ownerLabelFilters(owner), event: [...CONTAINER_ACTIONS] };
    return watchEvents({
      connect: () => this.docker.getEvents({ filters }),
      onEvent,
      parse,
      wrapError: (err) => wrapDockerError(this.endpoint, 'watch Docker events', err),
    });
  }
}

// Makes sure an image is present before instances of it are created: pulls a missing image once
// (concurrent creations of the same image share the pull), reports progress as events, and
// remembers a failure per service so status can show it as Degraded with the registry's message.
import type { Runtime } from '../runtime/runtime.js';
import type { NewEvent } from '../events/types.js';

/** Pulls missing images on demand and remembers failures. */
export class ImagePuller {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly runtime: Runtime,
    private readonly record: (event: NewEvent) => Promise<void>,
  ) {}

  /** Resolves once `image` exists locally; throws (and records `image.pull-failed`) when it cannot be pulled. */
  async ensure(image: string, service: string, version: string, revision: string | null): Promise<void> {
    if (await this.runtime.hasImage(image)) {
      this.failures.delete(service);
      return;
    }
    let pull = this.inFlight.get(image);
    if (!pull) {
      pull = this.pull(image, service, version, revision).finally(() => this.inFlight.delete(image));
      this.inFlight.set(image, pull);
    }
    try {
      await pull;
      this.failures.delete(service);
    } catch (error) {
      this.failures.set(service, `image ${image} could not be pulled: ${(error as Error).message}`);
      throw error;
    }
  }

  /** The last pull failure of a service's image, if its latest attempt failed. */
  failure(service: string): string | undefined {
    return this.failures.get(service);
  }

  private async pull(image: string, service: string, version: string, revision: string | null): Promise<void> {
    await this.record({ kind: 'image.pulling', service, version, revision, message: `pulling ${image}`, data: { image } });
    let lastStatus = '';
    try {
      await this.runtime.pullImage(image, (p) => {
        // Progress lines repeat per layer; record only changes of the overall status.
        if (p.status === lastStatus || p.status.startsWith('Downloading') || p.status.startsWith('Extracting')) return;
        lastStatus = p.status;
        void this.record({ kind: 'image.progress', service, version, revision, message: `${image}: ${p.status}`, data: { image, ...p } });
      });
    } catch (error) {
      await this.record({
        kind: 'image.pull-failed', service, version, revision,
        message: `pulling ${image} failed: ${(error as Error).message}; build or load the image locally (docker build -t ${image} ...) or fix the image name`,
        data: { image, error: (error as Error).message },
      });
      throw error;
    }
    await this.record({ kind: 'image.pulled', service, version, revision, message: `pulled ${image}`, data: { image } });
  }
}

// Whether an image has the /bin/sh the secrets' wrapper needs (secret-entry.ts), asked before a
// service is created. Without it the task would start Docker's init, which fails to exec the
// shell and exits 127, over and over, with the reason only in the task's log; asked first, the
// create fails at once saying what to do, as it does for a missing image.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { EngineCalls } from '../docker/engine-calls.js';
import { LABELS, MANAGED_BY } from '../docker/labels.js';
import { WRAPPER_SHELL } from './secret-entry.js';

/** The label of a probe container (never started, removed at once; a leftover is safe to remove). */
export const PROBE_LABEL = 'dsr.shell-probe';

/** Looks /bin/sh up in images, once per image id. */
export class ShellProbe {
  private readonly known = new Map<string, Promise<boolean>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly engine: EngineCalls,
  ) {}

  /**
   * Whether `image` (its id, so a re-tagged name is asked again) has /bin/sh: a container is
   * created from it, never started, without DSR's owner labels (no runtime lists it), asked for
   * the path's stat (a link counts: /bin/sh is usually one) and removed.
   */
  has(imageId: string): Promise<boolean> {
    let answer = this.known.get(imageId);
    if (!answer) {
      answer = this.ask(imageId);
      this.known.set(imageId, answer);
      // An engine error is not an answer: ask again next time.
      answer.catch(() => this.known.delete(imageId));
    }
    return answer;
  }

  private async ask(imageId: string): Promise<boolean> {
    const name = `dsr-shell-probe-${randomBytes(6).toString('hex')}`;
    const container = await this.engine.call(`look for ${WRAPPER_SHELL} in ${imageId}: create ${name}`, () => this.docker.createContainer({
      name,
      Image: imageId,
      Entrypoint: [WRAPPER_SHELL],
      Labels: { [LABELS.managedBy]: MANAGED_BY, [PROBE_LABEL]: 'true' },
      HostConfig: { NetworkMode: 'none' },
    }));
    try {
      const stat = await this.engine.callAllowing(`look for ${WRAPPER_SHELL} in ${imageId}`, [404], () => container.infoArchive({ path: WRAPPER_SHELL }) as Promise<unknown>);
      return stat !== undefined;
    } finally {
      await this.engine.callAllowing(`remove ${name}`, [404], () => container.remove({ force: true }));
    }
  }
}

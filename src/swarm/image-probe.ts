// What the secrets' wrapper needs to know of an image before a service is created from it
// (secret-entry.ts): whether it has /bin/sh, and its /etc/passwd (to give a named USER its secret
// files). Without a shell the task would start Docker's init, which fails to exec it and exits
// 127, over and over, with the reason only in the task's log; asked first, the create fails at
// once saying what to do, as it does for a missing image.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { EngineCalls } from '../docker/engine-calls.js';
import { LABELS, MANAGED_BY } from '../docker/labels.js';
import { WRAPPER_SHELL } from './secret-entry.js';

/** The label of a probe container (never started, removed at once; a leftover is safe to remove). */
export const PROBE_LABEL = 'dsr.image-probe';

/** What a probe found in an image. */
export interface ImageFacts {
  /** Whether /bin/sh exists (a link counts: it usually is one). */
  shell: boolean;
  /** The text of /etc/passwd, null when there is none (or it is not a regular file). */
  passwd: string | null;
}

/** The most of /etc/passwd read: a real one is a few KiB. */
const PASSWD_MAX = 1024 * 1024;

/** Looks into images, once per image id. */
export class ImageProbe {
  private readonly known = new Map<string, Promise<ImageFacts>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly engine: EngineCalls,
  ) {}

  /**
   * The facts of `imageId` (an id, so a re-tagged name is asked again): a container is created
   * from it, never started, without DSR's owner labels (no runtime lists it), asked for the two
   * paths, and removed.
   */
  facts(imageId: string): Promise<ImageFacts> {
    let answer = this.known.get(imageId);
    if (!answer) {
      answer = this.ask(imageId);
      this.known.set(imageId, answer);
      // An engine error is not an answer: ask again next time.
      answer.catch(() => this.known.delete(imageId));
    }
    return answer;
  }

  private async ask(imageId: string): Promise<ImageFacts> {
    const name = `dsr-image-probe-${randomBytes(6).toString('hex')}`;
    const operation = `look into ${imageId}`;
    const container = await this.engine.call(`${operation}: create ${name}`, () => this.docker.createContainer({
      name,
      Image: imageId,
      Entrypoint: [WRAPPER_SHELL],
      Labels: { [LABELS.managedBy]: MANAGED_BY, [PROBE_LABEL]: 'true' },
      HostConfig: { NetworkMode: 'none' },
    }));
    try {
      const shell = await this.engine.callAllowing(operation, [404], () => container.infoArchive({ path: WRAPPER_SHELL }) as Promise<unknown>);
      const archive = await this.engine.callAllowing(operation, [404], () => container.getArchive({ path: '/etc/passwd' }));
      return { shell: shell !== undefined, passwd: archive ? tarFile(await collect(archive, PASSWD_MAX + 1024)) : null };
    } finally {
      await this.engine.callAllowing(`remove ${name}`, [404], () => container.remove({ force: true }));
    }
  }
}

/**
 * The content of the first entry of a tar archive when it is a regular file, else null. Pure.
 * A ustar header is 512 bytes: the size in octal at 124 (12 bytes), the type at 156 ('0' or NUL
 * for a file), then the data.
 */
export function tarFile(archive: Buffer): string | null {
  if (archive.length < 512) return null;
  const type = archive[156];
  if (type !== 0x30 && type !== 0) return null;
  const size = parseInt(archive.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
  if (!Number.isFinite(size) || size > PASSWD_MAX || 512 + size > archive.length) return null;
  return archive.subarray(512, 512 + size).toString('utf8');
}

/** A stream's bytes, at most `max` (the rest is dropped: the tar's padding). */
async function collect(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (length < max) chunks.push(buffer);
    length += buffer.length;
  }
  return Buffer.concat(chunks).subarray(0, max);
}

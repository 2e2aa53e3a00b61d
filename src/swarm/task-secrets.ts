// What SwarmRuntime adds to a task whose template has secrets (SPEC §8): the Swarm secrets
// (secret-store.ts), mounted as scripts, and the wrapper that sources them before it execs what
// Docker would have run (secret-entry.ts). The one place the runtime asks about secrets.
import type Dockerode from 'dockerode';
import type { EngineCalls } from '../docker/engine-calls.js';
import { DockerOperationError } from '../runtime/errors.js';
import type { SecretReader } from '../secrets/folder.js';
import type { ContainerTemplate } from '../template/container-template.js';
import { MISSING_SHELL_HINT, imageArgv, secretFileAccess, sourcingCommand } from './secret-entry.js';
import type { ImageCommand, SecretTaskFields } from './secret-entry.js';
import { SwarmSecretStore } from './secret-store.js';
import { ImageProbe } from './image-probe.js';

/** Secrets of one owner's tasks: created with them, pruned after their services. */
export class TaskSecrets {
  private readonly store: SwarmSecretStore;
  private readonly images: ImageProbe;

  constructor(
    private readonly docker: Dockerode,
    private readonly engine: EngineCalls,
    owner: string,
    /** Reads secret files' variables (src/secrets/folder.ts); null: a template with secrets cannot be created. */
    private readonly reader: SecretReader | null,
  ) {
    this.store = new SwarmSecretStore(docker, engine, owner);
    this.images = new ImageProbe(docker, engine);
  }

  /**
   * Runs `create` with the fields `template`'s secrets add to the task (none without secrets);
   * the secrets exist before it runs, and a prune meanwhile leaves them. `operation` names the
   * create in errors, which say what to do (no secrets folder, no shell in the image, a bad file).
   */
  async creating<T>(service: string, template: ContainerTemplate, operation: string, create: (fields: SecretTaskFields) => Promise<T>): Promise<T> {
    if (template.secrets.length === 0) return create({});
    if (!this.reader) throw new DockerOperationError(operation, { cause: new Error('this runtime was opened without a secrets folder (DSR_SECRETS)') });
    const image = (await this.engine.call(`${operation}: inspect the image`, () => this.docker.getImage(template.image).inspect())) as { Id: string; Config?: ImageCommand & { User?: string } };
    const facts = await this.images.facts(image.Id);
    if (!facts.shell) throw new DockerOperationError(operation, { cause: new Error(MISSING_SHELL_HINT) });
    let argv: string[];
    try {
      argv = imageArgv(template.image, image.Config ?? {}, template.command);
    } catch (err) {
      throw new DockerOperationError(operation, { cause: err });
    }
    const names = template.secrets.map((s) => s.name);
    return this.store.using(service, template.secrets, this.reader, secretFileAccess(image.Config?.User, facts.passwd), (refs) =>
      create({ Command: sourcingCommand(names), Args: argv, Secrets: refs }));
  }

  /** Removes this owner's secrets no service uses any more (after a service is removed); returns their names. */
  prune(): Promise<string[]> {
    return this.store.prune();
  }
}

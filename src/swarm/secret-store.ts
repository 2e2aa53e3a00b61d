// The Swarm secrets of one DSR owner: created when a service needs them, removed when none uses
// them any more. A secret is immutable and named after its content's digest (secrets.ts), so
// "exists" means "has the right content": creating is idempotent, and a changed file is a new
// secret beside the old one, which goes when the last service using it is removed.
import type Dockerode from 'dockerode';
import type { SecretReference } from 'dockerode';
import type { EngineCalls } from '../docker/engine-calls.js';
import { LABELS, MANAGED_BY, ownerLabelFilters } from '../docker/labels.js';
import { DockerOperationError, dockerMessage, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import type { SecretReader } from '../secrets/folder.js';
import type { TemplateSecret } from '../template/container-template.js';
import { GATEWAY_URL_ENV } from '../docker/container-config.js';
import { renderSecretScript, secretFileName, secretLabels, swarmSecretName } from './secrets.js';
import type { SecretFileAccess } from './secret-entry.js';

/** What the engine says of a secret (`GET /secrets`), the fields read here. */
interface SwarmSecret {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

/** What the engine says of a service, the fields prune reads. */
interface ServiceSecrets {
  Spec?: { TaskTemplate?: { ContainerSpec?: { Secrets?: SecretReference[] } } };
}

/** Creates, hands out and prunes one owner's Swarm secrets. */
export class SwarmSecretStore {
  /** Secret names a create is about to use (ensured, service not created yet): prune leaves them. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly docker: Dockerode,
    private readonly engine: EngineCalls,
    readonly owner: string,
  ) {}

  /**
   * Ensures `service`'s secrets exist (reading their files through `reader` only for those not
   * created yet), then runs `create` with the references for its TaskTemplate; a prune meanwhile
   * leaves them alone, since no service references them until `create` is done.
   */
  async using<T>(service: string, secrets: readonly TemplateSecret[], reader: SecretReader, access: SecretFileAccess, create: (refs: SecretReference[]) => Promise<T>): Promise<T> {
    const names = secrets.map((s) => swarmSecretName(this.owner, service, s.name, s.digest));
    names.forEach((n) => this.held.set(n, (this.held.get(n) ?? 0) + 1));
    try {
      const refs: SecretReference[] = [];
      for (const [i, secret] of secrets.entries()) {
        const name = names[i] ?? '';
        const id = await this.ensure(service, secret, name, reader);
        refs.push({ File: { Name: secretFileName(secret.name), ...access }, SecretID: id, SecretName: name });
      }
      return await create(refs);
    } finally {
      names.forEach((n) => {
        const left = (this.held.get(n) ?? 1) - 1;
        if (left > 0) this.held.set(n, left);
        else this.held.delete(n);
      });
    }
  }

  /**
   * Removes this owner's secrets that no service of this owner references and no create is about
   * to use; one Swarm refuses to remove (a service of someone else uses it) is kept. Returns the
   * names removed.
   */
  async prune(): Promise<string[]> {
    const filters = { label: ownerLabelFilters(this.owner) };
    const secrets = (await this.engine.call('list DSR secrets', () => this.docker.listSecrets({ filters }))) as unknown as SwarmSecret[];
    if (secrets.length === 0) return [];
    const services = (await this.engine.call('list DSR services', () => this.docker.listServices({ filters }))) as unknown as ServiceSecrets[];
    const used = new Set(services.flatMap((s) => (s.Spec?.TaskTemplate?.ContainerSpec?.Secrets ?? []).map((r) => r.SecretID ?? '')));
    const removed: string[] = [];
    for (const secret of secrets) {
      if (used.has(secret.ID) || this.held.has(secret.Spec.Name)) continue;
      const gone = await this.removeUnlessInUse(secret);
      if (gone) removed.push(secret.Spec.Name);
    }
    return removed;
  }

  /** The id of the secret `name`, created from the file's variables when missing. */
  private async ensure(service: string, secret: TemplateSecret, name: string, reader: SecretReader): Promise<string> {
    const existing = await this.find(name);
    if (existing) return existing;
    let variables: Record<string, string>;
    try {
      variables = await reader.read([secret.name]);
    } catch (err) {
      throw new DockerOperationError(`create secret ${name}: read secret file ${secret.name}`, { cause: err });
    }
    // DSR_GATEWAY_URL is DSR's and wins over a secret's on Docker: left out here likewise.
    const data = Buffer.from(renderSecretScript(variables, [GATEWAY_URL_ENV])).toString('base64');
    try {
      const created = (await this.docker.createSecret({ Name: name, Labels: secretLabels(this.owner, service, secret.name), Data: data })) as { id?: string; ID?: string };
      const id = created.id ?? created.ID;
      if (id) return id;
    } catch (err) {
      // 409: a concurrent create made it first; same name, same content.
      if (statusCodeOf(err) !== 409) throw wrapDockerError(this.engine.endpoint, `create secret ${name}`, err);
    }
    const made = await this.find(name);
    if (!made) throw new DockerOperationError(`create secret ${name}`, { cause: new Error('the engine neither created it nor lists it: try again') });
    return made;
  }

  /** The id of this owner's secret `name`, undefined when there is none; a foreign one is an error. */
  private async find(name: string): Promise<string | undefined> {
    const info = (await this.engine.callAllowing(`inspect secret ${name}`, [404], () => this.docker.getSecret(name).inspect())) as SwarmSecret | undefined;
    if (!info) return undefined;
    const labels = info.Spec.Labels ?? {};
    if (labels[LABELS.managedBy] !== MANAGED_BY || labels[LABELS.owner] !== this.owner) {
      throw new DockerOperationError(`create secret ${name}`, { cause: new Error(`a Swarm secret with this name exists that this DSR (owner "${this.owner}") does not manage: remove or rename it`) });
    }
    return info.ID;
  }

  /** Removes a secret; gone is success, a refusal because a service uses it is false. */
  private async removeUnlessInUse(secret: SwarmSecret): Promise<boolean> {
    try {
      await this.docker.getSecret(secret.ID).remove();
      return true;
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 404) return false;
      if ((status === 400 || status === 409) && /in use/i.test(dockerMessage(err))) return false;
      throw wrapDockerError(this.engine.endpoint, `remove secret ${secret.Spec.Name}`, err);
    }
  }
}

// SwarmSecretStore against a scripted engine: what it creates, reuses, refuses and prunes (the
// real engine's behaviour is in test/integration/swarm-secrets.test.ts; this pins the edge cases
// one swarm cannot stage on cue: a lost create race, a prune during a create).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Dockerode from 'dockerode';
import { EngineCalls } from '../../src/docker/engine-calls.js';
import { SwarmSecretStore } from '../../src/swarm/secret-store.js';
import { secretFileAccess } from '../../src/swarm/secret-entry.js';
import type { SecretReader } from '../../src/secrets/folder.js';

interface Stored {
  ID: string;
  Spec: { Name: string; Labels: Record<string, string>; Data?: string };
}

function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode, json: { message } });
}

/** The few secret and service calls the store makes, over in-memory secrets and services. */
class ScriptedEngine {
  secrets: Stored[] = [];
  services: Array<{ Spec: { TaskTemplate: { ContainerSpec: { Secrets: Array<{ SecretID: string }> } } } }> = [];
  /** Ids Swarm refuses to remove because a service (of anyone) uses them. */
  inUse = new Set<string>();
  /** Runs inside createSecret before it stores, to stage a race. */
  beforeCreate: (() => void) | null = null;
  private next = 1;

  listSecrets = async (opts: { filters: { label: string[] } }): Promise<Stored[]> =>
    this.secrets.filter((s) => opts.filters.label.every((l) => { const [k = '', v] = l.split('='); return s.Spec.Labels[k] === v; }));
  listServices = async (): Promise<unknown[]> => this.services;
  createSecret = async (spec: Stored['Spec']): Promise<{ id: string }> => {
    this.beforeCreate?.();
    if (this.secrets.some((s) => s.Spec.Name === spec.Name)) throw httpError(409, `secret ${spec.Name} already exists`);
    const ID = `sec${this.next++}`;
    this.secrets.push({ ID, Spec: spec });
    return { id: ID };
  };
  getSecret = (ref: string) => ({
    inspect: async (): Promise<Stored> => {
      const found = this.secrets.find((s) => s.ID === ref || s.Spec.Name === ref);
      if (!found) throw httpError(404, `secret ${ref} not found`);
      return found;
    },
    remove: async (): Promise<void> => {
      if (this.inUse.has(ref)) throw httpError(400, `rpc error: secret '${ref}' is in use by the following service: x`);
      const before = this.secrets.length;
      this.secrets = this.secrets.filter((s) => s.ID !== ref);
      if (this.secrets.length === before) throw httpError(404, `secret ${ref} not found`);
    },
  });

  useInService(id: string): void {
    this.services.push({ Spec: { TaskTemplate: { ContainerSpec: { Secrets: [{ SecretID: id }] } } } });
  }
  contentOf(name: string): string {
    return Buffer.from(this.secrets.find((s) => s.Spec.Name === name)?.Spec.Data ?? '', 'base64').toString('utf8');
  }
}

/** A reader over fixed files that counts its reads. */
function reader(files: Record<string, Record<string, string>>): SecretReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (names) => {
      reads.push(...names);
      return Object.assign({}, ...names.map((n) => {
        const vars = files[n];
        if (!vars) throw new Error(`secret "${n}" is missing: create /secrets/${n}.env with KEY=value lines`);
        return vars;
      })) as Record<string, string>;
    },
  };
}

function setup(): { engine: ScriptedEngine; store: SwarmSecretStore } {
  const engine = new ScriptedEngine();
  // Only the calls above are made; a whole Dockerode is not needed to show what the store does.
  const docker = engine as unknown as Dockerode;
  return { engine, store: new SwarmSecretStore(docker, new EngineCalls(docker, 'unix:///scripted.sock'), 'own1') };
}

const ROOT = secretFileAccess('');
const DB = { name: 'db', digest: 'aaaaaaaaaaaaaaaa' };

describe('SwarmSecretStore.using', () => {
  it('creates a missing secret from the file, labelled, and references it as /run/secrets/dsr-<name>.sh', async () => {
    const { engine, store } = setup();
    const files = reader({ db: { PASSWORD: "it's" } });
    const refs = await store.using('api', [DB], files, ROOT, async (r) => r);
    assert.deepEqual(refs, [{ File: { Name: 'dsr-db.sh', UID: '0', GID: '0', Mode: 0o400 }, SecretID: 'sec1', SecretName: 'dsr-own1-api-db-aaaaaaaaaaaa' }]);
    assert.deepEqual(engine.secrets[0]?.Spec.Labels, { 'dsr.managed-by': 'dsr', 'dsr.owner': 'own1', 'dsr.service': 'api', 'dsr.secret': 'db' });
    assert.match(engine.contentOf('dsr-own1-api-db-aaaaaaaaaaaa'), /^export PASSWORD='it'\\''s'$/m);
  });

  it('reuses an existing secret without reading the file again', async () => {
    const { engine, store } = setup();
    const files = reader({ db: { A: '1' } });
    await store.using('api', [DB], files, ROOT, async () => undefined);
    await store.using('api', [DB], files, ROOT, async () => undefined);
    assert.deepEqual(files.reads, ['db']);
    assert.equal(engine.secrets.length, 1);
  });

  it('takes the secret a concurrent create made first (409)', async () => {
    const { engine, store } = setup();
    engine.beforeCreate = () => {
      engine.beforeCreate = null;
      engine.secrets.push({ ID: 'theirs', Spec: { Name: 'dsr-own1-api-db-aaaaaaaaaaaa', Labels: { 'dsr.managed-by': 'dsr', 'dsr.owner': 'own1' } } });
    };
    const refs = await store.using('api', [DB], reader({ db: { A: '1' } }), ROOT, async (r) => r);
    assert.equal(refs[0]?.SecretID, 'theirs');
  });

  it("refuses a secret of that name that is not this owner's", async () => {
    const { engine, store } = setup();
    engine.secrets.push({ ID: 'x', Spec: { Name: 'dsr-own1-api-db-aaaaaaaaaaaa', Labels: {} } });
    await assert.rejects(store.using('api', [DB], reader({ db: {} }), ROOT, async () => undefined), /does not manage: remove or rename it/);
  });

  it('reports a file it cannot read by its name, and creates nothing', async () => {
    const { engine, store } = setup();
    await assert.rejects(store.using('api', [DB], reader({}), ROOT, async () => undefined), /read secret file db: secret "db" is missing/);
    assert.equal(engine.secrets.length, 0);
  });
});

describe('SwarmSecretStore.prune', () => {
  it('removes the secrets no service uses and keeps the used ones', async () => {
    const { engine, store } = setup();
    const files = reader({ db: { A: '1' } });
    const [old] = await store.using('api', [DB], files, ROOT, async (r) => r);
    const [current] = await store.using('api', [{ name: 'db', digest: 'bbbbbbbbbbbbbbbb' }], files, ROOT, async (r) => r);
    engine.useInService(current?.SecretID ?? '');
    assert.deepEqual(await store.prune(), [old?.SecretName]);
    assert.deepEqual(engine.secrets.map((s) => s.ID), [current?.SecretID]);
  });

  it('leaves alone a secret a create is about to use', async () => {
    const { engine, store } = setup();
    const removedDuring = await store.using('api', [DB], reader({ db: { A: '1' } }), ROOT, () => store.prune());
    assert.deepEqual(removedDuring, []);
    assert.equal(engine.secrets.length, 1);
    assert.equal((await store.prune()).length, 1, 'once the create is over and no service uses it, it goes');
  });

  it("keeps a secret Swarm says is in use (a service that is not this owner's), and other owners' secrets", async () => {
    const { engine, store } = setup();
    await store.using('api', [DB], reader({ db: { A: '1' } }), ROOT, async () => undefined);
    engine.inUse.add('sec1');
    engine.secrets.push({ ID: 'other', Spec: { Name: 'dsr-own2-api-db-aaaaaaaaaaaa', Labels: { 'dsr.managed-by': 'dsr', 'dsr.owner': 'own2' } } });
    assert.deepEqual(await store.prune(), []);
    assert.deepEqual(engine.secrets.map((s) => s.ID), ['sec1', 'other']);
  });
});

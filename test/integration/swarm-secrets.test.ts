// spec.secrets as Swarm secrets on a one-node swarm this file starts (test/helpers/swarm-engine.ts,
// a second dockerd, never the shared engine): a raw service started through the secrets' wrapper
// has the variables in its process's environment, exactly; the service spec and the secret's
// inspect carry no value; a changed file is a new secret; prune removes what no service uses and
// keeps what one does; an image without /bin/sh is recognised before any task fails. Then
// SwarmRuntime itself: an instance created with secrets sees them (its exec checks too), an image
// without a shell is refused saying what to do, and removing the version prunes its secrets.
import { execFileSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { SecretReference } from 'dockerode';
import { EngineCalls } from '../../src/docker/engine-calls.js';
import { ExecRunner } from '../../src/docker/exec.js';
import { LABELS, MANAGED_BY } from '../../src/docker/labels.js';
import { SecretFolder } from '../../src/secrets/folder.js';
import type { TemplateSecret } from '../../src/template/container-template.js';
import { SwarmSecretStore } from '../../src/swarm/secret-store.js';
import { imageArgv, secretFileAccess, sourcingCommand } from '../../src/swarm/secret-entry.js';
import type { ImageCommand } from '../../src/swarm/secret-entry.js';
import { ImageProbe, PROBE_LABEL } from '../../src/swarm/image-probe.js';
import { SwarmRuntime } from '../../src/swarm/swarm-runtime.js';
import { instanceSpec } from '../contract/runtime.contract.js';
import { TEST_OWNER_LABEL, uniqueOwner } from '../helpers/docker.js';
import { describeSwarm } from '../helpers/swarm-engine.js';

const IMAGE = 'dsr-test-web:v1';

describeSwarm('Swarm secrets (SPEC §8 on DSR_RUNTIME=swarm)', (swarm) => {
  const owner = uniqueOwner('ss');
  const dir = mkdtempSync(join(tmpdir(), 'dsr-swarm-secrets-'));
  const folder = new SecretFolder(dir);
  const docker = swarm.docker;
  const engine = new EngineCalls(docker, swarm.host);
  const store = new SwarmSecretStore(docker, engine, owner);
  const execs = new ExecRunner(docker, swarm.host);
  // Values a careless quoting would break or expand; unique, so a leak is found by a plain search.
  const password = `pw-${process.pid}-it's $HOME \`id\` \\n ünï "q"`;
  const changed = `pw2-${process.pid}-Xw7`;
  const token = `tok-${process.pid}-Zq9`;

  // An image of nothing at all, as a distroless one is for the shell's purpose (no registry needed).
  const noShell = `dsr-test-noshell:${owner}`;
  // The test image run by a named user, `USER app` (uid 1234 in its /etc/passwd).
  const named = `dsr-test-named:${owner}`;
  const cli = (...args: string[]): string => execFileSync('docker', ['-H', swarm.host, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  before(() => {
    execFileSync('docker', ['-H', swarm.host, 'import', '--change', 'CMD ["/app"]', '-', noShell], { input: Buffer.alloc(10_240) });
    writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/:/bin/sh\napp:x:1234:1234::/:/bin/sh\n');
    cli('create', '--name', `${owner}-named`, IMAGE);
    cli('cp', join(dir, 'passwd'), `${owner}-named:/etc/passwd`);
    cli('commit', '--change', 'USER app', `${owner}-named`, named);
    cli('rm', `${owner}-named`);
  });

  after(async () => {
    for (const image of [noShell, named]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    const services = await docker.listServices({ filters: { label: [`${TEST_OWNER_LABEL}=${owner}`] } });
    await Promise.all(services.map((s) => docker.getService(s.ID ?? '').remove().catch(() => undefined)));
    for (let i = 0; i < 50 && (await ownSecrets()).length > 0; i++) {
      await store.prune().catch(() => []);
      await sleep(200);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const ownSecrets = async (): Promise<string[]> => (await docker.listSecrets({ filters: { label: [`${LABELS.owner}=${owner}`] } }) as unknown as Array<{ Spec: { Name: string } }>).map((s) => s.Spec.Name).sort();

  /** The template secrets for `names`, with the digests of the files as they are now. */
  const resolved = async (names: string[]): Promise<TemplateSecret[]> => {
    const got = await folder.resolve(names);
    if (!got.ok) throw new Error(got.problems.map((p) => p.message).join('; '));
    return names.map((name) => ({ name, digest: got.digests[name] ?? '' }));
  };

  /**
   * A Swarm service `name` started as SwarmRuntime starts one with secrets, for the DSR service
   * `service` (default: name; the versions of one DSR service share its unchanged secrets).
   */
  const startService = async (name: string, secrets: TemplateSecret[], options: { service?: string; user?: string; args?: string[] } = {}): Promise<{ id: string; container: string; spec: SecretReference[] }> => {
    const image = (await docker.getImage(IMAGE).inspect()) as { Config: ImageCommand & { User?: string } };
    const access = secretFileAccess(options.user ?? image.Config.User);
    const created = await store.using(options.service ?? name, secrets, folder, access, async (refs) => {
      const labels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: owner, [TEST_OWNER_LABEL]: owner };
      const service = await docker.createService({
        Name: `${owner}-${name}`,
        Labels: labels,
        TaskTemplate: {
          ContainerSpec: {
            Image: IMAGE,
            Command: sourcingCommand(secrets.map((s) => s.name)),
            Args: imageArgv(IMAGE, image.Config, options.args ?? null),
            ...(options.user ? { User: options.user } : {}),
            Env: ['PLAIN=from-the-spec'],
            Secrets: refs,
            Init: true,
          },
          RestartPolicy: { Condition: 'none' },
        },
        Mode: { Replicated: { Replicas: 1 } },
      });
      return { id: service.id, spec: refs };
    });
    return { ...created, container: await runningContainer(docker, created.id) };
  };

  /** The environment of the process the wrapper exec'd (the app, a child of Docker's init). */
  const appEnv = async (container: string, program: string): Promise<Record<string, string>> => {
    const result = await execs.run(container, ['sh', '-c', `tr '\\0' '\\n' < /proc/$(pidof ${program})/environ`], 10_000);
    assert.equal(result.exitCode, 0, result.output);
    return Object.fromEntries(result.output.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  };

  let first: { id: string; container: string; spec: SecretReference[] };

  it("puts the secrets' variables into the app's environment, exactly, later files winning", async () => {
    writeFileSync(join(dir, 'db.env'), `DB_PASSWORD='${password}'\nSHARED=from-db\n`);
    writeFileSync(join(dir, 'api.env'), `API_TOKEN=${token}\nSHARED=from-api\nDSR_GATEWAY_URL=http://not-from-a-secret\n`);
    first = await startService('web', await resolved(['db', 'api']));
    const env = await appEnv(first.container, 'httpd');
    assert.equal(env['DB_PASSWORD'], password);
    assert.equal(env['API_TOKEN'], token);
    assert.equal(env['SHARED'], 'from-api');
    assert.equal(env['PLAIN'], 'from-the-spec');
    assert.equal(env['DSR_GATEWAY_URL'], undefined, "DSR's own variable is not a secret's to set");
  });

  it('mounts each script read-only for root alone, and shows no value in the service, task, container or secret', async () => {
    const stat = await execs.run(first.container, ['stat', '-c', '%a %u %g %n', '/run/secrets/dsr-db.sh', '/run/secrets/dsr-api.sh'], 10_000);
    assert.deepEqual(stat.output.trim().split('\n'), ['400 0 0 /run/secrets/dsr-db.sh', '400 0 0 /run/secrets/dsr-api.sh']);
    const seen = JSON.stringify([
      await docker.getService(first.id).inspect(),
      await docker.listTasks({ filters: { service: [first.id] } }),
      await docker.getContainer(first.container).inspect(),
      ...(await Promise.all(first.spec.map((r) => docker.getSecret(r.SecretID ?? '').inspect()))),
    ]);
    for (const value of [password, token, 'from-db', 'from-api']) assert.ok(!seen.includes(value), `"${value}" is visible in an inspect`);
    assert.deepEqual(await ownSecrets(), first.spec.map((r) => r.SecretName).sort());
  });

  it("lets a numeric non-root user of the task read its files (0400, that user's)", async () => {
    const secrets = await resolved(['db']);
    const task = await startService('user', secrets, { user: '1000', args: ['sleep', '600'] });
    const env = await appEnv(task.container, 'sleep');
    assert.equal(env['DB_PASSWORD'], password);
    const stat = await execs.run(task.container, ['stat', '-c', '%a %u', '/run/secrets/dsr-db.sh'], 10_000);
    assert.equal(stat.output.trim(), '400 1000');
    await docker.getService(task.id).remove();
    assert.deepEqual(await store.prune(), task.spec.map((r) => r.SecretName), "its own secret (service user's) goes with it; web's stay");
  });

  it('makes a new secret for new content, and prune removes the old one once no service uses it', async () => {
    const oldDb = first.spec.find((r) => r.File?.Name === 'dsr-db.sh')?.SecretName ?? '';
    writeFileSync(join(dir, 'db.env'), `DB_PASSWORD=${changed}\n`);
    const second = await startService('web-v2', await resolved(['db', 'api']), { service: 'web' });
    const newDb = second.spec.find((r) => r.File?.Name === 'dsr-db.sh')?.SecretName ?? '';
    assert.notEqual(newDb, oldDb, 'new content, new name');
    assert.equal((await appEnv(second.container, 'httpd'))['DB_PASSWORD'], changed);
    // Both services still run: nothing goes.
    assert.deepEqual(await store.prune(), []);
    await docker.getService(first.id).remove();
    // Swarm lets go of a removed service's secrets at once (the service's spec is what references them).
    const removed = await store.prune();
    assert.deepEqual(removed, [oldDb]);
    assert.deepEqual(await ownSecrets(), second.spec.map((r) => r.SecretName).sort(), "the second service's secrets stay, the shared api one included");
    assert.equal((await appEnv(second.container, 'httpd'))['DB_PASSWORD'], changed, 'the running task is untouched');
  });
  it("tells an image with /bin/sh from one without, reads its /etc/passwd, and leaves no probe container behind", async () => {
    const probe = new ImageProbe(docker, engine);
    const id = async (image: string): Promise<string> => ((await docker.getImage(image).inspect()) as { Id: string }).Id;
    const web = await probe.facts(await id(IMAGE));
    assert.equal(web.shell, true);
    assert.match(web.passwd ?? '', /^root:x:0:0:/m);
    assert.deepEqual(await probe.facts(await id(noShell)), { shell: false, passwd: null });
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [PROBE_LABEL] } }), []);
  });

  describeRuntime();

  function describeRuntime(): void {
    const rtOwner = uniqueOwner('sr');
    const runtime = new SwarmRuntime({ docker, owner: rtOwner, secrets: folder });
    const secretsOf = async (): Promise<string[]> => (await docker.listSecrets({ filters: { label: [`${LABELS.owner}=${rtOwner}`] } }) as unknown as Array<{ Spec: { Name: string } }>).map((x) => x.Spec.Name);
    after(async () => {
      const services = await docker.listServices({ filters: { label: [`${LABELS.owner}=${rtOwner}`] } });
      await Promise.all(services.map((x) => docker.getService(x.ID ?? '').remove().catch(() => undefined)));
      await new SwarmSecretStore(docker, engine, rtOwner).prune().catch(() => undefined);
    });

    it('SwarmRuntime: an instance created with secrets has their variables, in its app and in its exec checks', async () => {
      writeFileSync(join(dir, 'rt.env'), `RT_TOKEN='${password}'\n`);
      const created = await runtime.create(instanceSpec(IMAGE, { service: 'rt', secrets: await resolved(['rt']) }));
      assert.equal(created.state, 'running');
      const task = (await docker.getTask(created.id).inspect()) as { Status: { ContainerStatus: { ContainerID: string } } };
      assert.equal((await appEnv(task.Status.ContainerStatus.ContainerID, 'httpd'))['RT_TOKEN'], password);
      const checked = await runtime.exec(created.id, ['sh', '-c', 'printf %s "$RT_TOKEN"'], 10_000);
      assert.deepEqual([checked.exitCode, checked.output], [0, password]);
      assert.equal((await secretsOf()).length, 1);
      // A second instance of the version is one more task of the same service, with the same secret.
      const second = await runtime.create(instanceSpec(IMAGE, { service: 'rt', index: 2, secrets: await resolved(['rt']) }));
      assert.equal((await runtime.exec(second.id, ['sh', '-c', 'printf %s "$RT_TOKEN"'], 10_000)).output, password);
      await runtime.remove(second.id);
      assert.equal((await secretsOf()).length, 1, 'the version still runs: its secret stays');
      await runtime.remove(created.id);
      assert.deepEqual(await secretsOf(), [], "the version's service is gone, and its secret with it");
    });

    it("SwarmRuntime: gives the image's named USER its secret files (uid from the image's /etc/passwd, 0400)", async () => {
      const created = await runtime.create(instanceSpec(named, { service: 'named', command: ['sleep', '600'], secrets: await resolved(['rt']) }));
      assert.equal(created.state, 'running');
      const seen = await runtime.exec(created.id, ['sh', '-c', 'id -u; stat -c "%a %u" /run/secrets/dsr-rt.sh; printf %s "$RT_TOKEN"'], 10_000);
      assert.deepEqual([seen.exitCode, seen.output], [0, `1234\n400 1234\n${password}`]);
      await runtime.remove(created.id);
    });

    it('SwarmRuntime: refuses an image without /bin/sh, and a runtime without a secrets folder, saying what to do', async () => {
      const secrets = await resolved(['rt']);
      await assert.rejects(runtime.create(instanceSpec(noShell, { service: 'bare', secrets })), /has no \/bin\/sh.*Docker runtime/);
      const blind = new SwarmRuntime({ docker, owner: rtOwner });
      await assert.rejects(blind.create(instanceSpec(IMAGE, { service: 'blind', secrets })), /without a secrets folder \(DSR_SECRETS\)/);
      assert.deepEqual(await docker.listServices({ filters: { label: [`${LABELS.owner}=${rtOwner}`] } }), [], 'nothing was created');
      assert.deepEqual(await secretsOf(), []);
    });
  }
});

/** The running container of the service's task (waits up to 30 s). */
async function runningContainer(docker: Dockerode, service: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [task] = (await docker.listTasks({ filters: { service: [service] } })) as Array<{ Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string } } }>;
    const id = task?.Status.ContainerStatus?.ContainerID;
    if (task?.Status.State === 'running' && id) return id;
    if (task && ['failed', 'rejected', 'complete', 'shutdown'].includes(task.Status.State)) throw new Error(`task ${task.Status.State}: ${task.Status.Err ?? ''}`);
    if (Date.now() > deadline) throw new Error(`no running task of ${service} within 30 s (${task?.Status.State ?? 'none'})`);
    await sleep(200);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

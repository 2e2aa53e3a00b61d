// An upgrade of DSR must not touch what runs: the containers and `<data>/state.json` left by the
// previous release (captured from it, see test/fixtures/previous-release/capture.mjs) are adopted
// by this release's `dsr run` as they are: no container created or removed, no rollout started,
// and a canary the previous release left at 25% stays at that step.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { describeDocker } from '../helpers/docker.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/previous-release/', import.meta.url));

/** One container as the previous release created it (`containers.json`). */
interface CapturedContainer {
  name: string;
  image: string;
  labels: Record<string, string>;
  env: string[];
  cmd: string[] | null;
  exposedPorts: Record<string, object>;
  hostConfig: Dockerode.HostConfig;
}

interface ServiceView {
  phase: string;
  versions: Array<{ name: string; weight: number; ready: number; replicas: number }>;
  rollout: null | { canary: string; step: number; weight: number; phase: string };
}

/** Events that would mean the upgrade touched a running service. */
const DISTURBING = /^(instance\.(created|replaced|removed|failed)|rollout\.(started|replaced|retried|reverted|completed|cancelled|aborted)|rollback\.)/;

describeDocker('adoption of what the previous release left running', (env) => {
  const fill = (text: string): string => text.replaceAll('{{owner}}', env.owner);
  const captured = JSON.parse(fill(readFileSync(join(FIXTURES, 'containers.json'), 'utf8'))) as { release: string; containers: CapturedContainer[] };
  const manifests = mkdtempSync(join(tmpdir(), 'dsr-adopt-m-'));
  const data = mkdtempSync(join(tmpdir(), 'dsr-adopt-d-'));
  const created = new Map<string, string>();
  let dsrProc: DsrProcess | undefined;
  const ownerIds = async (): Promise<string[]> =>
    (await env.docker.listContainers({ all: true, filters: { label: [`dsr.owner=${env.owner}`] } })).map((c) => c.Id).sort();
  const service = async (name: string): Promise<ServiceView> => (await (await fetch(`${dsrProc!.url}/api/services/${name}`)).json()) as ServiceView;

  before(async () => {
    cpSync(join(FIXTURES, 'manifests'), manifests, { recursive: true });
    writeFileSync(join(data, 'state.json'), fill(readFileSync(join(FIXTURES, 'state.json'), 'utf8')));
    for (const c of captured.containers) {
      const container = await env.docker.createContainer({
        name: c.name, Image: c.image, Labels: c.labels, Env: c.env, ...(c.cmd ? { Cmd: c.cmd } : {}),
        ExposedPorts: c.exposedPorts, HostConfig: c.hostConfig,
      });
      await container.start();
      created.set(c.name, container.id);
    }
  });
  after(async () => {
    await dsrProc?.kill('SIGKILL');
    rmSync(manifests, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it(`adopts the containers and state of release ${captured.release.slice(0, 7)} with no restart and no rollout`, async () => {
    const before = await ownerIds();
    assert.deepEqual(before, [...created.values()].sort());
    dsrProc = await startDsr(['--manifests', manifests, '--data', data, '--source', 'worktree'], { DSR_OWNER: env.owner, DSR_TOKEN: 'adopt-token' }, await freePort());

    let last: ServiceView[] = [];
    await waitFor('api and split healthy, canary at 25% with its instances ready', async () => {
      last = await Promise.all([service('api'), service('split'), service('canary')]);
      const [api, split, canary] = last as [ServiceView, ServiceView, ServiceView];
      return api.phase === 'Healthy' && split.phase === 'Healthy' &&
        canary.rollout?.weight === 25 && canary.versions.every((v) => v.ready === v.replicas);
    }, 60_000, 250).catch((error: unknown) => {
      throw new Error(`${String(error)}; last status: ${JSON.stringify(last)}\n${dsrProc?.output()}`);
    });
    // Several more passes (each instance is probed every second): a planned replacement would show now.
    await new Promise((r) => setTimeout(r, 5000));

    const events = ((await (await fetch(`${dsrProc.url}/events?limit=1000`)).json()) as { events: Array<{ kind: string; service: string | null; message: string }> }).events;
    const disturbing = events.filter((e) => DISTURBING.test(e.kind)).map((e) => `${e.kind} ${e.service}: ${e.message}`);
    assert.deepEqual(disturbing, [], 'no instance created/removed, no rollout started');
    assert.deepEqual(await ownerIds(), before, 'the same containers, none added or removed');
    const canary = await service('canary');
    assert.deepEqual(canary.rollout && { canary: canary.rollout.canary, step: canary.rollout.step, weight: canary.rollout.weight }, { canary: 'v2', step: 1, weight: 25 });
    assert.deepEqual(canary.versions.map((v) => [v.name, v.weight]), [['v1', 75], ['v2', 25]]);
    const split = await service('split');
    assert.deepEqual(split.versions.map((v) => [v.name, v.weight, v.ready]), [['blue', 90, 2], ['green', 10, 1]]);
  });
});

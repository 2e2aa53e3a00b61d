// SPEC §8 container fields on the real engine, through `dsr run`: a named volume DSR creates and
// labels keeps its data across a version change and a prune of its service, `dsr volumes` lists
// it and `dsr volumes rm` removes it only once nothing uses it; memory, CPU and pids limits and
// user labels are on the containers as `docker inspect` shows them.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocker } from '../helpers/docker.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

/** The `store` service: a named volume shared by old and new instances during a rollout, limits, a label. */
function store(version: string, image: string): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: store
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 3, startPeriod: 0s }
  volumes:
    - { name: data, mountPath: /data, shared: true }
  resources: { memory: 64Mi, cpus: 0.5, pids: 100 }
  labels: { team: storage }
  rollout: { steps: [] }
  versions:
    - { name: ${version}, image: "${image}", replicas: 1 }
`;
}

/** Another service, so that removing `store` is a prune and not "the folder declares nothing". */
const OTHER = `apiVersion: dsr/v1
kind: Service
metadata:
  name: other
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, startPeriod: 0s }
  versions:
    - { name: v1, image: "dsr-test-web:v1", replicas: 1 }
`;

interface Inspected {
  Name: string;
  Config: { Labels: Record<string, string> };
  HostConfig: { Memory: number; NanoCpus: number; PidsLimit: number };
  Mounts: Array<{ Type: string; Name?: string; Destination: string; RW: boolean }>;
}

describeDocker('named volumes, limits and labels (SPEC §8)', (env) => {
  const manifests = mkdtempSync(join(tmpdir(), 'dsr-stack-m-'));
  const data = mkdtempSync(join(tmpdir(), 'dsr-stack-d-'));
  const token = 'stack-token';
  const volume = `dsr-${env.owner}-store-data`;
  const marker = `written-${process.pid}-${Date.now()}`;
  let proc: DsrProcess;
  const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
  const storeContainers = (): string[] => docker('ps', '-q', '--filter', `label=dsr.owner=${env.owner}`, '--filter', 'label=dsr.service=store').split('\n').filter(Boolean);
  const healthy = async (name: string, version: string): Promise<boolean> => {
    const s = (await (await fetch(`${proc.url}/api/services/${name}`)).json()) as { phase: string; versions: Array<{ name: string; ready: number; replicas: number }> };
    return s.phase === 'Healthy' && s.versions.length === 1 && s.versions[0]!.name === version && s.versions[0]!.ready === 1;
  };
  const cli = (...args: string[]) => dsr(args, { DSR_URL: proc.url, DSR_TOKEN: token });

  before(async () => {
    writeFileSync(join(manifests, 'other.yaml'), OTHER);
    writeFileSync(join(manifests, 'store.yaml'), store('v1', 'dsr-test-web:v1'));
    proc = await startDsr(['--manifests', manifests, '--data', data, '--source', 'worktree'], { DSR_OWNER: env.owner, DSR_TOKEN: token }, await freePort());
    await waitFor('store v1 healthy', () => healthy('store', 'v1'), 60_000, 250);
  });
  after(async () => {
    await proc?.kill('SIGKILL');
    rmSync(manifests, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('creates the named volume labelled as the service\'s, mounts it read-write, and applies limits and labels', () => {
    const labels = JSON.parse(docker('volume', 'inspect', volume, '--format', '{{json .Labels}}')) as Record<string, string>;
    assert.deepEqual(labels, { 'dsr.managed-by': 'dsr', 'dsr.owner': env.owner, 'dsr.service': 'store', 'dsr.volume': 'data' });
    const [id] = storeContainers();
    const c = (JSON.parse(docker('inspect', id!)) as Inspected[])[0]!;
    assert.deepEqual(c.Mounts.map((m) => [m.Type, m.Name, m.Destination, m.RW]), [['volume', volume, '/data', true]]);
    assert.deepEqual([c.HostConfig.Memory, c.HostConfig.NanoCpus, c.HostConfig.PidsLimit], [64 * 1024 * 1024, 500_000_000, 100]);
    assert.equal(c.Config.Labels.team, 'storage');
    docker('exec', id!, 'sh', '-c', `echo ${marker} > /data/marker`);
  });

  it('keeps the data across a version change that replaces the container', async () => {
    const [before] = storeContainers();
    writeFileSync(join(manifests, 'store.yaml'), store('v2', 'dsr-test-web:v2'));
    await waitFor('store v2 healthy, v1 gone', async () => (await healthy('store', 'v2')) && !storeContainers().includes(before!), 60_000, 250);
    const [after] = storeContainers();
    assert.notEqual(after, before);
    assert.equal(docker('exec', after!, 'cat', '/data/marker'), marker);
  });

  it('keeps the volume when its service is pruned, and `dsr volumes` shows it unused', async () => {
    unlinkSync(join(manifests, 'store.yaml'));
    await waitFor('store pruned', () => storeContainers().length === 0, 60_000, 250);
    assert.equal(docker('volume', 'inspect', volume, '--format', '{{.Name}}'), volume);
    const listed = cli('volumes', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as Array<{ service: string; name: string; dockerName: string; usedBy: string[] }>).map((v) => [v.service, v.name, v.dockerName, v.usedBy]), [['store', 'data', volume, []]]);
  });

  it('gives the data back to the service when it is declared again', async () => {
    writeFileSync(join(manifests, 'store.yaml'), store('v3', 'dsr-test-web:v1'));
    await waitFor('store v3 healthy', () => healthy('store', 'v3'), 60_000, 250);
    const [id] = storeContainers();
    assert.equal(docker('exec', id!, 'cat', '/data/marker'), marker);
  });

  it('`dsr volumes rm` refuses while a container uses the volume, then removes it once the service is gone', async () => {
    const refused = cli('volumes', 'rm', 'store', 'data');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`volumes rm store data: remove volume ${volume}: in use by dsr-${env.owner}-store-v3-1`));
    const unknown = cli('volumes', 'rm', 'store', 'nope');
    assert.match(unknown.stderr, /service store has no volume nope: `dsr volumes` lists them/);
    unlinkSync(join(manifests, 'store.yaml'));
    await waitFor('store pruned', () => storeContainers().length === 0, 60_000, 250);
    const removed = cli('volumes', 'rm', 'store', 'data');
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout.trim(), `removed volume ${volume}`);
    assert.equal(docker('volume', 'ls', '-q', '--filter', `name=${volume}`), '');
  });
});

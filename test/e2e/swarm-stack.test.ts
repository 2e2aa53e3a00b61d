// DSR deployed on Docker Swarm as the README says (`docker stack deploy -c deploy/swarm-stack.yml`)
// on a one-node swarm this file starts (a second dockerd, test/helpers/swarm-engine.ts; never the
// shared engine): a committed manifest is served from 2 tasks through the gateway's published
// host-mode port on 127.0.0.1, with the variables of its secret file in the tasks' app (and not in
// the service spec), the kill of a task's container costs no GET, and a canary v1 → v2 under load
// fails no request and ends with v2 alone, still using the one Swarm secret of that content; after
// Swarm recreates DSR's own task, an instance created before still reaches the gateway at its
// DSR_GATEWAY_URL (DSR's service name).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueOwner } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { GitRepo } from '../helpers/git-repo.js';
import { failed, startLoad, type Outcome } from '../helpers/load.js';
import { describeSwarm } from '../helpers/swarm-engine.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'dsr:swarm-test';
const DSR_UID = 10001;
const STACK = 'dsr';

interface Status {
  phase: string;
  stable: string | null;
  versions: Array<{ name: string; weight: number; ready: number }>;
  rollout: null | { weight: number };
  instances: Array<{ id: string; version: string; address: string | null; state: string }>;
}

/** A service of 2 replicas with quick canary steps, so the suite stays short. */
function web(version: string): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: web
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 2, startPeriod: 0s }
  secrets: [web]
  versions:
    - name: ${version}
      image: dsr-test-web:${version}
      replicas: 2
  rollout:
    steps: [{ setWeight: 50 }, { pause: 3s }, { setWeight: 100 }]
    analysis: { interval: 1s, minRequests: 10, maxErrorRate: 0.1, maxLatencyP99: 2s, failureLimit: 1 }
    progressDeadline: 30s
`;
}

/** The IPv4 answers in busybox nslookup's output (not the server's own `Address: 127.0.0.11:53` line). */
function addressesOf(nslookup: string): string[] {
  return [...nslookup.matchAll(/^Address:\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1] ?? '');
}

describeSwarm('deploy/swarm-stack.yml', (swarm) => {
  const owner = uniqueOwner('st');
  const repo = new GitRepo('dsr-swarm-repo-');
  const data = mkdtempSync(join(tmpdir(), 'dsr-swarm-data-'));
  const token = `swarm-e2e-${process.pid}-Zq9`;
  let port = 0;
  const url = (): string => `http://127.0.0.1:${port}`;
  const docker = (...args: string[]): string =>
    execFileSync('docker', ['-H', swarm.host, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env: stackEnv() });
  const stackEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DSR_IMAGE: IMAGE,
    DSR_OWNER: owner,
    DSR_PUBLISHED_PORT: String(port),
    DSR_MANIFESTS_DIR: repo.dir,
    DSR_REPO_PATH: '.',
    DSR_DATA_DIR: data,
    DSR_DOCKER_SOCKET: swarm.host.replace(/^unix:\/\//, ''),
    DOCKER_GID: String(statSync(swarm.host.replace(/^unix:\/\//, '')).gid),
    DSR_TOKEN: 'swarm-test-token',
  });
  const status = async (): Promise<Status> => (await (await fetch(`${url()}/api/services/web`, { signal: AbortSignal.timeout(2000) })).json()) as Status;
  const commit = (version: string): void => {
    repo.write('web.yaml', web(version));
    repo.commit(`web ${version}`);
  };
  const load = () => startLoad(`${url()}/gateway/web/cgi-bin/whoami`, { rps: 50, maxDurationMs: 90_000 });
  const report = (what: string, outcomes: Outcome[]): Outcome[] => {
    const bad = outcomes.filter(failed);
    console.log(`${what}: ${outcomes.length} requests, ${bad.length} failed`);
    return bad;
  };

  before(async () => {
    let t = Date.now();
    execFileSync('bash', ['scripts/build-dsr-image.sh', '--offline'], { cwd: root, env: { ...process.env, DSR_IMAGE: IMAGE }, stdio: 'pipe', timeout: 180_000 });
    execFileSync('sh', ['-c', `docker save ${IMAGE} | docker -H ${swarm.host} load -q`], { stdio: 'pipe', timeout: 180_000 });
    console.log(`swarm stack test: DSR image built and loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    commit('v1');
    // DSR runs as uid 10001: it reads the repository and owns its data folder.
    chmodSync(repo.dir, 0o755);
    chownSync(data, DSR_UID, DSR_UID);
    // The secret file, in DSR's default secrets folder <data>/secrets, readable by DSR alone.
    mkdirSync(join(data, 'secrets'), { mode: 0o700 });
    writeFileSync(join(data, 'secrets', 'web.env'), `WEB_TOKEN=${token}\n`, { mode: 0o600 });
    chownSync(join(data, 'secrets'), DSR_UID, DSR_UID);
    chownSync(join(data, 'secrets', 'web.env'), DSR_UID, DSR_UID);
    port = await freePort();
    await swarm.docker.createNetwork({ Name: 'dsr', Driver: 'overlay', Attachable: true });
    t = Date.now();
    docker('stack', 'deploy', '--resolve-image', 'never', '-c', join(root, 'deploy/swarm-stack.yml'), STACK);
    await waitFor('DSR /healthz on the published port', async () => {
      const res = await fetch(`${url()}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
      return res?.ok ? true : null;
    }, 90_000, 500);
    console.log(`swarm stack test: DSR answered ${((Date.now() - t) / 1000).toFixed(1)} s after stack deploy`);
  });

  after(async () => {
    try {
      docker('stack', 'rm', STACK);
    } catch (err) {
      console.log(`stack rm failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
    const services = await swarm.docker.listServices({ filters: { label: [`dsr.owner=${owner}`] } }).catch(() => []);
    await Promise.all(services.map((s) => swarm.docker.getService(s.ID ?? '').remove().catch(() => undefined)));
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('serves /gateway/web/ from 2 tasks reached at their overlay IPs', { timeout: 120_000 }, async () => {
    const ready = await waitFor('web healthy with 2 instances', async () => {
      const s = await status().catch(() => null);
      return s?.phase === 'Healthy' && s.instances.filter((i) => i.state === 'running').length === 2 ? s : null;
    }, 90_000, 500);
    const hosts = new Set<string>();
    for (let i = 0; i < 40 && hosts.size < 2; i++) {
      const res = await fetch(`${url()}/gateway/web/cgi-bin/whoami`, { signal: AbortSignal.timeout(2000) });
      assert.equal(res.status, 200);
      const [version, host] = (await res.text()).trim().split(' ');
      assert.equal(version, 'v1');
      hosts.add(host ?? '');
    }
    assert.equal(hosts.size, 2, 'both tasks answer');
    const services = await swarm.docker.listServices({ filters: { label: [`dsr.owner=${owner}`] } });
    // One Swarm service per version, its replicas the manifest's.
    assert.deepEqual(services.map((s) => [s.Spec?.Name, s.Spec?.Mode?.Replicated?.Replicas]), [[`dsr-${owner}-web-v1`, 2]]);
    for (const instance of ready.instances) assert.match(instance.address ?? '', /^\d+\.\d+\.\d+\.\d+:80$/);
    // spec.secrets: in the environment of the app (httpd, under Docker's init), not in the service.
    const [task] = await swarm.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`], status: ['running'] } });
    assert.match(docker('exec', task?.Id ?? '', 'sh', '-c', 'tr "\\0" "\\n" < /proc/$(pidof httpd)/environ'), new RegExp(`^WEB_TOKEN=${token}$`, 'm'));
    assert.ok(!docker('service', 'inspect', `dsr-${owner}-web-v1`).includes(token), 'the value is not in the service spec');
  });

  it("survives the kill of a task's container with no failed GET", { timeout: 120_000 }, async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 2000));
    const [victim] = await swarm.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`], status: ['running'] } });
    assert.ok(victim, 'a running task container');
    await swarm.docker.getContainer(victim.Id).kill();
    await waitFor('2 running instances again', async () => {
      const s = await status().catch(() => null);
      return s && s.instances.filter((i) => i.state === 'running').length === 2 && s.phase === 'Healthy' ? true : null;
    }, 60_000, 500);
    await new Promise((r) => setTimeout(r, 2000));
    const bad = report('kill of a task container', await traffic.stop());
    assert.deepEqual(bad.slice(0, 5).map((o) => `${o.status} ${o.error ?? o.body}`), []);
  });

  it('walks a canary v1 → v2 under load with no failed request, ending with v2 alone', { timeout: 180_000 }, async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1000));
    commit('v2');
    const weights = new Set<number>();
    await waitFor('rollout to v2 completed', async () => {
      const s = await status().catch(() => null);
      if (s?.rollout) weights.add(s.rollout.weight);
      return s?.phase === 'Healthy' && s.stable === 'v2' && s.rollout === null ? true : null;
    }, 120_000, 250);
    await new Promise((r) => setTimeout(r, 1000));
    const outcomes = await traffic.stop();
    const bad = report('canary v1 -> v2', outcomes);
    assert.deepEqual(bad.slice(0, 5).map((o) => `${o.status} ${o.error ?? o.body}`), []);
    const versions = new Set(outcomes.map((o) => o.body.split(' ')[0]));
    assert.ok(versions.has('v1') && versions.has('v2'), `both versions served: ${[...versions].join(',')}`);
    assert.ok(weights.has(50), `the canary step was seen: ${[...weights].join(',')}`);
    await waitFor("only v2's service left, with 2 replicas", async () => {
      const services = (await swarm.docker.listServices({ filters: { label: [`dsr.owner=${owner}`] } })).map((s) => `${s.Spec?.Name ?? ''}×${s.Spec?.Mode?.Replicated?.Replicas ?? 0}`);
      return services.join(',') === `dsr-${owner}-web-v2×2` ? true : null;
    }, 30_000, 500);
    // v2 has the same secret file content: it kept using the one secret, which v1's removal did not prune.
    const secrets = (await swarm.docker.listSecrets({ filters: { label: [`dsr.owner=${owner}`] } })) as unknown as Array<{ Spec: { Name: string } }>;
    assert.deepEqual(secrets.map((x) => x.Spec.Name.replace(/-[0-9a-f]{12}$/, '')), [`dsr-${owner}-web-web`]);
  });

  it("keeps an instance's DSR_GATEWAY_URL working after Swarm recreates DSR's task", { timeout: 180_000 }, async () => {
    // An instance created by the DSR task about to be replaced (v2: v1's tasks may still be on
    // their way out after the canary); its URL names DSR's service.
    const [instance] = await swarm.docker.listContainers({ filters: { label: [`dsr.owner=${owner}`, 'dsr.version=v2'], status: ['running'] } });
    assert.ok(instance, 'a running instance');
    const env = (await swarm.docker.getContainer(instance.Id).inspect()).Config.Env ?? [];
    const gatewayUrl = new URL(env.find((e) => e.startsWith('DSR_GATEWAY_URL='))?.slice('DSR_GATEWAY_URL='.length) ?? 'http://missing');
    assert.deepEqual([gatewayUrl.hostname, gatewayUrl.pathname], [`${STACK}_dsr`, '/gateway']);
    // What the instance's own resolver (Docker's DNS on the overlay) answers for the URL's host.
    // The test image's static busybox wget crashes on any URL (glibc's resolver in a static
    // binary), so the request goes to the resolved address with nc: the same two steps.
    const resolve = (): string[] => addressesOf(docker('exec', instance.Id, 'nslookup', gatewayUrl.hostname));
    const fromInstance = (ip: string): string | null => {
      // stdin stays open a moment: busybox nc half-closes at its end, which the gateway takes as the client leaving.
      const request = `(printf 'GET ${gatewayUrl.pathname}/web/cgi-bin/whoami HTTP/1.0\\r\\nHost: ${gatewayUrl.host}\\r\\n\\r\\n'; sleep 2) | nc -w 3 ${ip} ${gatewayUrl.port}`;
      try {
        const response = docker('exec', instance.Id, 'sh', '-c', request);
        return /^HTTP\/1\.[01] 200 /.test(response) ? response.slice(response.indexOf('\r\n\r\n') + 4) : null;
      } catch {
        return null;
      }
    };
    const dsrTasks = () => swarm.docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${STACK}_dsr`], status: ['running'] } });
    const [old] = await dsrTasks();
    const oldIp = old?.NetworkSettings.Networks['dsr']?.IPAddress ?? '';
    await waitFor(`${gatewayUrl.hostname} resolving to the running DSR task's ${oldIp}`, () => (resolve().join() === oldIp ? true : null), 15_000, 500);
    assert.match(fromInstance(oldIp) ?? '', /^v2 /, 'the instance reaches the gateway before');

    const t = Date.now();
    docker('service', 'update', '--force', '--detach', `${STACK}_dsr`);
    const renewed = await waitFor("DSR's new task running", async () => (await dsrTasks()).find((c) => c.Id !== old?.Id) ?? null, 90_000, 500);
    const newIp = renewed.NetworkSettings.Networks['dsr']?.IPAddress ?? '';
    assert.notEqual(newIp, oldIp, 'the new task has a new overlay address');
    // dnsrr: the name follows the task (a VIP would stay, but needs IPVS, which this kernel lacks).
    await waitFor(`${gatewayUrl.hostname} resolving to the new task's ${newIp} only`, () => (resolve().join() === newIp ? true : null), 30_000, 500);
    const body = await waitFor('the instance reaching the gateway through the name in its old DSR_GATEWAY_URL', () => fromInstance(resolve()[0] ?? ''), 90_000, 500);
    console.log(`swarm stack test: an instance reached the new DSR task through ${gatewayUrl.href} ${((Date.now() - t) / 1000).toFixed(1)} s after the update`);
    assert.match(body, /^v2 /);
    // The instance was not replaced to get there, and the published port (host mode, with dnsrr) serves again.
    assert.equal((await swarm.docker.getContainer(instance.Id).inspect()).State.Running, true);
    await waitFor('DSR /healthz on the published port again', async () => ((await fetch(`${url()}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => null))?.ok ? true : null), 60_000, 500);
  });
}, ['dsr-test-web:v1', 'dsr-test-web:v2', 'dsr-test-web:crash']);

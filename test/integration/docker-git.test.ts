// DSR in its offline-built image (scripts/build-dsr-image.sh --offline) applies commits of a
// mounted repository: docker-compose.yml with DSR_REPO_DIR pointing at a git work tree owned by
// another uid than DSR's (git's "dubious ownership" check must not stop it). A commit is applied;
// an uncommitted edit of the work tree is not.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOwner, describeDocker, testLabels, uniqueOwner } from '../helpers/docker.js';
import { freePort } from '../helpers/dsr-process.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { sleep, waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'dsr:gitops-test';
const DSR_UID = 10001;

/** GET JSON with a deadline (docker-proxy holds connections until DSR listens), null on failure. */
async function getJson<T>(url: string): Promise<T | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 2000);
  try {
    const res = await fetch(url, { signal: abort.signal });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function composeCommand(): string[] {
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0 ? ['docker', 'compose'] : ['docker-compose'];
}

interface Services {
  revision: string | null;
  services: Array<{ name: string; phase: string; versions: Array<{ ready: number; replicas: number }> }>;
}

describeDocker('DSR in its image applies commits of a mounted repository', (env) => {
  const owner = uniqueOwner('g');
  const project = `dsrgit${owner}`;
  const repo = new GitRepo('dsr-docker-git-');
  const data = `${repo.dir}-data`;
  const [bin, ...pre] = composeCommand();
  const asRoot = process.getuid?.() === 0;
  let port = 0;
  let upped = false;
  let createdNetwork = false;
  const compose = (...args: string[]): string =>
    execFileSync(bin!, [...pre, '-f', join(root, 'docker-compose.yml'), '-p', project, ...args], {
      env: {
        ...process.env, DSR_IMAGE: IMAGE, DSR_OWNER: owner, DSR_PUBLISHED_PORT: String(port), DSR_REPO_DIR: repo.dir,
        DSR_REPO_PATH: 'manifests', DSR_DATA_DIR: data, DOCKER_GID: String(statSync('/var/run/docker.sock').gid),
        ...(asRoot ? {} : { DSR_USER: String(DSR_UID) }),
      },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    });

  before(async () => {
    execFileSync('bash', ['scripts/build-dsr-image.sh', '--offline'], { cwd: root, env: { ...process.env, DSR_IMAGE: IMAGE }, stdio: 'pipe', timeout: 240_000 });
    execFileSync('bash', ['scripts/build-example-images.sh'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
    const hello = (replicas: number): string => manifest('hello', { image: 'dsr-example:v1', port: 8080, replicas });
    repo.write('manifests/hello.yaml', hello(1));
    repo.commit('hello with one instance');
    // The repository belongs to this (test) user, DSR runs as uid 10001: world-readable, not theirs.
    chmodSync(repo.dir, 0o755);
    execFileSync('chmod', ['-R', 'a+rX', repo.dir]);
    mkdirSync(data);
    if (asRoot) chownSync(data, DSR_UID, DSR_UID);
    else chmodSync(data, 0o777);
    const networks = await env.docker.listNetworks({ filters: { name: ['dsr'] } });
    if (!networks.some((n) => n.Name === 'dsr')) {
      await env.docker.createNetwork({ Name: 'dsr', Driver: 'bridge', Labels: testLabels(owner) });
      createdNetwork = true;
    }
    port = await freePort();
  });

  after(async () => {
    if (upped) {
      try {
        compose('down', '--timeout', '30');
      } catch (err) {
        console.log(`compose down failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
      }
    }
    await cleanupOwner(owner, env.docker);
    if (createdNetwork) await env.docker.getNetwork('dsr').remove().catch(() => undefined);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('applies a commit, not an uncommitted edit', { timeout: 240_000 }, async () => {
    const url = `http://127.0.0.1:${port}`;
    upped = true;
    compose('up', '-d', '--no-build');
    const first = repo.head();
    const hello = async (): Promise<{ revision: string | null; ready: number; replicas: number } | null> => {
      const s = await getJson<Services>(`${url}/api/services`);
      const h = s?.services.find((x) => x.name === 'hello');
      return s && h && h.phase === 'Healthy' ? { revision: s.revision, ready: h.versions[0]!.ready, replicas: h.versions[0]!.replicas } : null;
    };
    await waitFor('hello at the first commit', async () => {
      const h = await hello();
      return h?.revision === first && h.ready === 1;
    }, 90_000, 500);
    assert.match(compose('logs', '--no-color'), /source: git at \/repo/);

    // Saved but not committed: DSR must not apply it.
    repo.write('manifests/hello.yaml', manifest('hello', { image: 'dsr-example:v1', port: 8080, replicas: 2 }));
    execFileSync('chmod', ['-R', 'a+rX', repo.dir]);
    await sleep(5_000);
    assert.deepEqual(await hello(), { revision: first, ready: 1, replicas: 1 }, 'an uncommitted edit is not applied');

    // Committed: applied.
    const second = repo.commit('two instances');
    execFileSync('chmod', ['-R', 'a+rX', repo.dir]);
    await waitFor('hello at the second commit with two instances', async () => {
      const h = await hello();
      return h?.revision === second && h.ready === 2;
    }, 90_000, 500);
  });
});

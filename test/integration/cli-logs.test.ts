// `dsr logs` against a real `dsr run` and real containers: the lines of two instances, each with
// its prefix, interleaved; with --follow, the lines of the replacement DSR starts after a
// `docker kill`; the token guard; and a stderr line demultiplexed as such.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocker } from '../helpers/docker.js';
import { GitRepo } from '../helpers/git-repo.js';
import { DSR_BIN, dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'logs-token-5d1e';

/** web: two busybox instances that write "tick N from <hostname>" every 300 ms (and "warn N" on stderr) while serving. */
const WEB = `apiVersion: dsr/v1
kind: Service
metadata:
  name: web
spec:
  port: 80
  health: { path: /health, interval: 500ms, timeout: 1s, failureThreshold: 3, startPeriod: 0s }
  versions:
    - name: v1
      image: dsr-test-web:v1
      replicas: 2
      command: ["/bin/sh", "-c", "i=0; while true; do echo tick $i from $(hostname); [ $((i % 5)) -eq 0 ] && echo warn $i >&2; i=$((i+1)); sleep 0.3; done & exec /bin/httpd -f -p 80 -h /www"]
`;

describeDocker('dsr logs against a running DSR', (env) => {
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-logs-'));
  let proc: DsrProcess;
  let follower: ChildProcess | null = null;
  const name = (n: number): string => `dsr-${env.owner}-web-v1-${n}`;
  const status = async (): Promise<{ phase: string; instances: Array<{ id: string; name: string; health: string }> }> =>
    (await (await fetch(`${proc.url}/api/services/web`)).json()) as { phase: string; instances: Array<{ id: string; name: string; health: string }> };

  before(async () => {
    repo.write('web.yaml', WEB);
    repo.commit('web');
    proc = await startDsr(['--manifests', repo.dir, '--data', data], { DSR_OWNER: env.owner, DSR_TOKEN: TOKEN }, await freePort());
    await waitFor('web healthy with 2 instances', async () => {
      const s = await status();
      return s.phase === 'Healthy' && s.instances.filter((i) => i.health === 'healthy').length === 2;
    }, 40_000);
  });

  after(async () => {
    follower?.kill('SIGKILL');
    await proc?.kill('SIGKILL');
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('prints the last lines of both instances, prefixed and in time order', { timeout: 30_000 }, async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const { code, stdout, stderr } = dsr(['logs', 'web', '--tail', '4', '--timestamps'], { DSR_URL: proc.url, DSR_TOKEN: TOKEN });
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    const prefix = new RegExp(`^(${name(1)}|${name(2)}) \\| (\\S+) (tick \\d+ from \\w+|warn \\d+)$`);
    for (const l of lines) assert.match(l, prefix);
    assert.ok(lines.some((l) => l.startsWith(`${name(1)} |`)) && lines.some((l) => l.startsWith(`${name(2)} |`)), stdout);
    assert.ok(lines.length <= 8, 'at most --tail lines per instance');
    const times = lines.map((l) => Date.parse(prefix.exec(l)![2]!));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'interleaved by time');
  });

  it('refuses without the token and keeps to one version', { timeout: 30_000 }, async () => {
    const refused = dsr(['logs', 'web'], { DSR_URL: proc.url, DSR_TOKEN: 'wrong' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /token refused/);
    const none = dsr(['logs', 'web', '--version', 'v9'], { DSR_URL: proc.url, DSR_TOKEN: TOKEN });
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.equal(dsr(['logs', 'nope'], { DSR_URL: proc.url, DSR_TOKEN: TOKEN }).code, 1);
  });

  it('follows both instances and the replacement of a killed one', { timeout: 90_000 }, async () => {
    let out = '';
    follower = spawn(process.execPath, [DSR_BIN, 'logs', 'web', '--follow', '--tail', '0'], { env: { ...process.env, DSR_URL: proc.url, DSR_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
    follower.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    follower.stderr!.on('data', (c: Buffer) => (out += `[stderr] ${c.toString()}`));
    const hostOf = async (n: number): Promise<string> => ((await env.docker.getContainer(name(n)).inspect()).Config.Hostname);
    const first = await hostOf(1);
    await waitFor('new lines of both instances', () => out.includes(`${name(1)} | tick`) && out.includes(`${name(2)} | tick`) && out.includes(`from ${first}`), 20_000);
    const before = (await status()).instances.find((i) => i.name === name(1))!.id;
    await env.docker.getContainer(name(1)).kill();
    const replacement = await waitFor('DSR to replace the killed instance', async () => {
      const s = await status();
      const i = s.instances.find((x) => x.name === name(1) && x.id !== before && x.health === 'healthy');
      return i ? hostOf(1) : null;
    }, 45_000, 250);
    assert.notEqual(replacement, first);
    await waitFor(`lines of the replacement (${replacement})`, () => new RegExp(`^${name(1)} \\| tick \\d+ from ${replacement}$`, 'm').test(out), 20_000);
    assert.match(out, new RegExp(`^${name(2)} \\| warn \\d+$`, 'm'), 'stderr lines come through, demultiplexed');
    assert.doesNotMatch(out, /\[stderr\]|\u0001|\u0002/, 'no errors and no frame headers in the output');
    follower.kill('SIGINT');
    const code = await new Promise<number | null>((r) => follower!.once('exit', (c) => r(c)));
    assert.equal(code, 0, 'Ctrl-C ends --follow with 0');
    follower = null;
  });
});

// DSR following a remote repository (SPEC §10) served by real git servers on 127.0.0.1:
// `git daemon` (git://) and `git http-backend` behind a token-checking HTTP server. A push is
// applied within one poll interval, a signed webhook makes it apply within 3 s, a bad signature
// gets 401 and changes nothing, a stopped server keeps every service running and says so, and a
// force-push to an older commit is applied. The token never shows in events, status, logs,
// state or the arguments of any process.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DsrEvent } from '../../src/events/types.js';
import { describeDocker } from '../helpers/docker.js';
import { dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { manifest } from '../helpers/git-repo.js';
import { Upstream, startGitDaemon, startGitHttp } from '../helpers/git-servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

interface Services {
  revision: string | null;
  source: { summary: string; reachable: boolean; revision: string | null } | null;
  services: Array<{ name: string; phase: string; versions: Array<{ name: string; ready: number; replicas: number }> }>;
}

async function services(d: DsrProcess): Promise<Services> {
  return (await (await fetch(`${d.url}/api/services`)).json()) as Services;
}

async function events(d: DsrProcess, kind: string): Promise<DsrEvent[]> {
  const query = kind ? `kind=${encodeURIComponent(kind)}&` : '';
  const body = (await (await fetch(`${d.url}/events?${query}limit=1000`)).json()) as { events: DsrEvent[] };
  return body.events;
}

/** Waits until DSR has loaded `commit` and `web` runs `replicas` healthy instances. */
async function waitApplied(d: DsrProcess, commit: string, replicas: number | null, timeoutMs: number): Promise<number> {
  return waitFor(`web at ${commit.slice(0, 12)} with ${replicas ?? 'all'} ready`, async () => {
    const s = await services(d);
    const v = s.services.find((x) => x.name === 'web' && x.phase === 'Healthy')?.versions[0];
    return s.revision === commit && v && v.ready === v.replicas && (replicas === null || v.replicas === replicas) ? v.replicas : 0;
  }, timeoutMs, 100);
}

/** Time from `from` until DSR recorded manifest.loaded for `commit`. */
async function loadedAfter(d: DsrProcess, commit: string, from: number, timeoutMs: number): Promise<number> {
  const loaded = await waitFor(`manifest.loaded at ${commit.slice(0, 12)}`, async () => (await events(d, 'manifest.loaded')).findLast((e) => e.revision === commit && Date.parse(e.time) >= from - 5), timeoutMs, 50);
  return Date.parse(loaded.time) - from;
}

/**
 * Scans every process's arguments for `secret` every 20 ms until stopped, in a worker thread so the
 * scan never stalls this process's git HTTP server. stop() returns the offending command lines.
 */
function watchCmdlines(secret: string): { stop(): Promise<string[]> } {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { readdirSync, readFileSync } = require('node:fs');
    const found = new Set();
    let scans = 0;
    const timer = setInterval(() => {
      scans++;
      for (const pid of readdirSync('/proc')) {
        if (!/^[0-9]+$/.test(pid)) continue;
        try {
          const cmdline = readFileSync('/proc/' + pid + '/cmdline', 'utf8');
          if (cmdline.includes(workerData)) found.add(cmdline.split('\\0').join(' '));
        } catch {}
      }
    }, 20);
    parentPort.on('message', () => { clearInterval(timer); parentPort.postMessage({ found: [...found], scans }); });
  `, { eval: true, workerData: secret });
  let result: Promise<string[]> | null = null;
  return {
    stop() {
      result ??= new Promise<string[]>((resolve) => {
        worker.once('message', (m: { found: string[]; scans: number }) => {
          assert.ok(m.scans > 10, `the process scan ran only ${m.scans} times`);
          void worker.terminate();
          resolve(m.found);
        });
        worker.postMessage('stop');
      });
      return result;
    },
  };
}

describeDocker('DSR follows a remote repository', (env) => {
  const upstream = new Upstream();
  const dataDirs: string[] = [];
  const procs: DsrProcess[] = [];
  const start = async (args: string[], extra: Record<string, string> = {}): Promise<DsrProcess> => {
    const data = mkdtempSync(join(tmpdir(), 'dsr-remote-data-'));
    dataDirs.push(data);
    const d = await startDsr(['--data', data, ...args], { DSR_OWNER: env.owner, DSR_TOKEN: 'api-token', ...extra }, await freePort());
    procs.push(d);
    return d;
  };
  let first = '';
  before(() => {
    first = upstream.push({ 'manifests/web.yaml': manifest('web', { replicas: 1 }), 'README.md': 'not a manifest' }, 'web with one instance');
  });
  after(async () => {
    for (const d of procs) await d.kill('SIGTERM');
    upstream.remove();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('git://: applies a push within one poll interval, a force-push to an older commit, and keeps running when the server stops', async () => {
    const daemon = await startGitDaemon(upstream);
    const d = await start(['--repo', daemon.url, '--branch', 'main', '--path', 'manifests', '--poll', '2s']).catch(async (error: unknown) => {
      await daemon.stop();
      throw error;
    });
    try {
      await waitApplied(d, first, 1, 60_000);
      assert.match((await services(d)).source!.summary, new RegExp(`^source git://127\\.0\\.0\\.1:\\d+/upstream\\.git \\(main, manifests\\) at ${first.slice(0, 12)}$`));

      const pushedAt = Date.now();
      const second = upstream.push({ 'manifests/web.yaml': manifest('web', { replicas: 2 }) }, 'two instances');
      await loadedAfter(d, second, pushedAt, 10_000);
      const fetched = (await events(d, 'source.fetched')).at(-1)!;
      assert.equal(fetched.revision, second);
      // The fetch starts within one poll interval; allow the fetch itself 2 s on a busy machine.
      const took = Date.parse(fetched.time) - pushedAt;
      assert.ok(took <= 2_000 + 2_000, `push fetched ${took} ms after it was pushed; the poll interval is 2 s`);
      await waitApplied(d, second, 2, 60_000);

      // A force-push back to the first commit: the branch moved backwards, DSR follows it.
      upstream.forcePush(first);
      await waitApplied(d, first, 1, 60_000);

      // The server goes away: an event and a status line, and every service keeps running.
      const before = (await services(d)).services;
      const lastId = (await events(d, '')).at(-1)?.id ?? 0;
      await daemon.stop();
      const down = await waitFor('source.unreachable', async () => (await events(d, 'source.unreachable'))[0], 15_000);
      assert.match(down.message, new RegExp(`still applying ${first.slice(0, 12)}, retrying every 2 s`));
      await sleep(2_500);
      const s = await services(d);
      assert.equal(s.source!.reachable, false);
      assert.match(s.source!.summary, new RegExp(`^source unreachable since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, applying ${first.slice(0, 12)}$`));
      assert.deepEqual(s.services.map((x) => [x.name, x.phase, x.versions[0]!.ready]), before.map((x) => [x.name, 'Healthy', 1]));
      assert.equal(s.revision, first);
      const status = dsr(['status'], { DSR_URL: d.url });
      assert.match(status.stderr, /source unreachable since .*, applying/);
      assert.match(status.stdout, /^web\s+Healthy/m);
      const removals = (await events(d, '')).filter((e) => e.id > lastId && /remov|prune|stopp/.test(e.kind));
      assert.deepEqual(removals, [], 'nothing is removed while the source is unreachable');

      // Back up: DSR says so and fetches again.
      const again = await startGitDaemon(upstream, daemon.port);
      try {
        await waitFor('source.reachable', async () => (await events(d, 'source.reachable'))[0], 15_000);
      } finally {
        await again.stop();
      }
    } finally {
      await d.kill('SIGTERM');
      await daemon.stop();
    }
  });

  it('smart HTTP with a token: a signed webhook applies a push within 3 s, a bad signature gets 401 and changes nothing, no secret leaks', async () => {
    const token = 'gho_T0KEN_never_shown_0123456789';
    const secret = 'webhook-s3cret';
    const http = await startGitHttp(upstream, token);
    const cmdlines = watchCmdlines(token);
    // The scan must be able to fail: a process carrying the token in its arguments is found.
    const canary = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)', `canary-${token}`], { stdio: 'ignore' });
    const d = await start(['--repo', http.url, '--poll', '60s'], { DSR_GIT_TOKEN: token, DSR_WEBHOOK_SECRET: secret }).catch(async (error: unknown) => {
      await cmdlines.stop();
      await http.stop();
      throw error;
    });
    try {
      const base = upstream.head();
      const baseReplicas = await waitApplied(d, base, null, 60_000);
      assert.ok(http.requests.authorized > 0, 'DSR authenticated with the token');

      const next = upstream.push({ 'manifests/web.yaml': manifest('web', { replicas: baseReplicas === 1 ? 2 : 1 }) }, 'scale by webhook');
      const body = JSON.stringify({ ref: 'refs/heads/main', after: next });
      const post = (headers: Record<string, string>, payload = body): Promise<Response> =>
        fetch(`${d.url}/api/webhooks/git`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
      const sign = (payload: string, key = secret): string => createHmac('sha256', key).update(payload).digest('hex');

      // Refused: a wrong key, a signature of another body, a wrong GitLab token, no signature at all.
      const refused: Array<Record<string, string>> = [
        { 'x-hub-signature-256': `sha256=${sign(body, 'wrong')}` },
        { 'x-hub-signature-256': `sha256=${sign(body + ' ')}` },
        { 'x-gitea-signature': sign(body, 'wrong') },
        { 'x-gitlab-token': 'wrong' },
        {},
      ];
      for (const headers of refused) {
        const res = await post(headers);
        assert.equal(res.status, 401, JSON.stringify(headers));
        assert.doesNotMatch(await res.text(), new RegExp(secret));
      }
      await sleep(3_000);
      assert.equal((await services(d)).revision, base, 'a refused webhook must not fetch');

      const calledAt = Date.now();
      // A burst of five genuine calls: accepted, and one fetch for all of them.
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post({ 'x-hub-signature-256': `sha256=${sign(body)}` })));
      assert.deepEqual(answers.map((r) => r.status), [202, 202, 202, 202, 202]);
      const took = await loadedAfter(d, next, calledAt, 3_000);
      assert.ok(took <= 3_000, `applied ${took} ms after the webhook`);
      await sleep(1_000);
      assert.equal((await events(d, 'source.fetched')).filter((e) => e.revision === next).length, 1);
      // Gitea/Forgejo and GitLab schemes are accepted too.
      assert.equal((await post({ 'x-gitea-signature': sign(body) })).status, 202);
      assert.equal((await post({ 'x-gitlab-token': secret })).status, 202);
      // A forge names DSR's public address in Host: the API's Host check (421) does not apply here.
      const forgeHost = await new Promise<number>((resolve, reject) => {
        const req = request(`${d.url}/api/webhooks/git`, { method: 'POST', headers: { host: 'dsr.example.com', 'x-gitlab-token': secret, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(forgeHost, 202);
      // A body over 1 MiB is refused before any signature check.
      assert.equal((await post({ 'x-gitlab-token': secret }, 'x'.repeat(1024 * 1024 + 10))).status, 413);

      // The token is nowhere: not in events, status, DSR's output, its state or any process's arguments.
      const all = JSON.stringify(await (await fetch(`${d.url}/events?limit=1000`)).json());
      assert.ok(!all.includes(token), 'events');
      assert.ok(!JSON.stringify(await services(d)).includes(token), 'status');
      assert.ok(!d.output().includes(token), 'log output');
      const dataDir = dataDirs.at(-1)!;
      assert.ok(!readFileSync(join(dataDir, 'state.json'), 'utf8').includes(token), 'state.json');
      const offenders = await cmdlines.stop();
      assert.equal(offenders.filter((c) => c.includes(`canary-${token}`)).length, 1, 'the scan sees process arguments');
      assert.deepEqual(offenders.filter((c) => !c.includes(`canary-${token}`)), [], 'process arguments');
      canary.kill();
    } finally {
      await cmdlines.stop();
      await d.kill('SIGTERM');
      await http.stop();
    }
  });

  it('refuses a token in the URL, naming the variable to use instead', () => {
    const out = dsr(['run', '--repo', 'https://user:s3cret@example.invalid/repo.git', '--data', mkdtempSync(join(tmpdir(), 'dsr-remote-data-'))]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /must not carry credentials: .* set DSR_GIT_TOKEN/);
    assert.doesNotMatch(out.stderr, /s3cret/);
  });
});

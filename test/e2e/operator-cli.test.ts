// `dsr events` as an operator uses it against a real `dsr run`: --follow prints the events of a
// commit as they happen, survives DSR restarting (resuming with Last-Event-ID, nothing twice),
// and Ctrl-C ends it with exit 0; errors are one clear line and exit 1.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { DSR_BIN, dsr, freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { waitFor } from '../helpers/wait.js';

/** A running `dsr <args>` whose output is collected as it comes. */
interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [DSR_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

describeDocker('dsr events', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-operator-data-'));
  const env = { DSR_OWNER: owner };
  const processes: DsrProcess[] = [];
  const followers: Running[] = [];
  after(async () => {
    for (const f of followers) if (f.child.exitCode === null) f.child.kill('SIGKILL');
    for (const p of processes) await p.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  let port: number;
  let url: string;
  it('--follow --service web prints the events of a commit that scales web, and exits 0 on SIGINT', async () => {
    repo.write('web.yaml', manifest('web', { replicas: 1 }));
    repo.commit('web: 1 replica');
    port = await freePort();
    const first = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    processes.push(first);
    url = first.url;
    await waitFor('web healthy', async () => ((await (await fetch(`${url}/api/services/web`)).json()) as { phase: string }).phase === 'Healthy', 30_000);

    const follow = run(['events', '--follow', '--service', 'web'], { DSR_URL: url });
    followers.push(follow);
    await waitFor('the recent events first', () => /instance\.created\tweb\tstarted dsr-\S+-web-v1-1/.test(follow.stdout()));

    repo.write('web.yaml', manifest('web', { replicas: 2 }));
    const commit = repo.commit('web: 2 replicas');
    await waitFor('the scale-up, as it happens', () => /instance\.created\tweb\tstarted dsr-\S+-web-v1-2 \(dsr-test-web:v1\): scale up to 2 replicas/.test(follow.stdout()), 30_000);
    await waitFor('web in sync with the commit', () => follow.stdout().includes(`service.synced\tweb\tweb is in sync with ${commit}`), 30_000);
    assert.doesNotMatch(follow.stdout(), /manifest\.loaded/, 'only events of web');

    // DSR restarts on the same address: the follower reconnects and resumes after the last id it printed.
    await first.kill('SIGTERM');
    const second = await startDsr(['--manifests', repo.dir, '--data', data], env, port);
    processes.push(second);
    await waitFor('the reconnection', () => follow.stderr().includes(`reconnected to DSR at ${url}`), 30_000);
    repo.write('web.yaml', manifest('web', { replicas: 3 }));
    const third = repo.commit('web: 3 replicas');
    await waitFor('events after the restart', () => follow.stdout().includes(`service.synced\tweb\tweb is in sync with ${third}`), 30_000);

    follow.child.kill('SIGINT');
    assert.equal(await follow.exited, 0, follow.stderr());
    const ids = follow.stdout().trim().split('\n').map((line) => Number(line.split('\t')[0]));
    assert.ok(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]!)), `ids strictly increasing, none twice: ${ids.join(',')}`);
    assert.equal(follow.stdout().match(/started dsr-\S+-web-v1-3/g)?.length, 1);
  });

  it('--follow --json prints one JSON event per line, starting after --since', async () => {
    const all = (await (await fetch(`${url}/events?since=0&service=web&limit=3`)).json()) as { events: Array<{ id: number }> };
    const since = all.events[0]!.id;
    const follow = run(['events', '-f', '--json', '--service', 'web', '--since', String(since)], { DSR_URL: url });
    followers.push(follow);
    await waitFor('the replay', () => follow.stdout().split('\n').filter(Boolean).length >= 2);
    follow.child.kill('SIGINT');
    assert.equal(await follow.exited, 0);
    const events = follow.stdout().trim().split('\n').map((l) => JSON.parse(l) as { id: number; service: string });
    assert.equal(events[0]!.id, all.events[1]!.id, 'the first event after --since');
    assert.ok(events.every((e) => e.service === 'web'));
  });

  it('pages with --since and says how to get the next page', () => {
    const r = dsr(['events', '--service', 'web', '--since', '0', '--limit', '2'], { DSR_URL: url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    assert.match(r.stderr, /^more events: dsr events --since \d+$/m);
  });

  // A port nothing listens on (not a fetch "bad port" such as 9, which fails differently).
  let closed = '';
  it('finds a closed port', async () => {
    closed = `http://127.0.0.1:${await freePort()}`;
  });
  const failures: Array<[string, string[], () => Record<string, string>, RegExp]> = [
    ['DSR cannot be reached (--follow)', ['events', '--follow'], () => ({ DSR_URL: closed }), /^cannot reach DSR at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is `dsr run` running\?/],
    ['DSR cannot be reached (--follow --since)', ['events', '--follow', '--since', '1'], () => ({ DSR_URL: closed }), /^cannot reach DSR at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
    ['DSR cannot be reached (one page)', ['events'], () => ({ DSR_URL: closed }), /^cannot reach DSR at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
    ['DSR refuses a parameter', ['events', '--limit', 'many'], () => ({ DSR_URL: url }), /^query parameter limit must be a non-negative integer/],
    ['--since is not an id (--follow)', ['events', '--follow', '--since', 'yesterday'], () => ({ DSR_URL: url }), /^--since must be an event id/],
  ];
  for (const [name, args, envOf, message] of failures) {
    it(`exits 1 with one line when ${name}`, () => {
      const r = dsr(args, envOf());
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    });
  }
});

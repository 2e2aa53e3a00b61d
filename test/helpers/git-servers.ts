// Real git servers on 127.0.0.1 for tests of DSR's remote source: `git daemon` (git://) and
// `git http-backend` behind a small node HTTP server that demands a token (smart HTTP, Basic
// auth as forges accept tokens). Both come with Debian's `git` package.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './dsr-process.js';
import { GitRepo } from './git-repo.js';
import { waitFor } from './wait.js';

/** A bare "upstream" repository in a folder that servers export, and a work tree pushing to it. */
export class Upstream {
  readonly root: string;
  readonly name = 'upstream.git';
  readonly work: GitRepo;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'dsr-upstream-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(this.root, this.name)]);
    this.work = new GitRepo('dsr-pusher-');
    this.work.git('remote', 'add', 'origin', join(this.root, this.name));
  }

  /** The bare repository's path (for file:// URLs). */
  get path(): string {
    return join(this.root, this.name);
  }

  /** Commits `files` in the work tree and pushes main; returns the commit id. */
  push(files: Record<string, string>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) this.work.write(path, content);
    const commit = this.work.commit(message);
    this.work.git('push', '-q', 'origin', 'HEAD:main');
    return commit;
  }

  /** The commit main points at upstream. */
  head(): string {
    return execFileSync('git', ['rev-parse', 'main'], { cwd: this.path, encoding: 'utf8' }).trim();
  }

  /** Force-pushes main to an earlier commit. */
  forcePush(commit: string): void {
    this.work.git('push', '-q', '--force', 'origin', `${commit}:main`);
  }

  remove(): void {
    this.work.remove();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
async function listening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  await waitFor(`a server on 127.0.0.1:${port}`, () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
    return new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  }, 10_000, 50);
}

/** `git daemon` exporting the upstream's folder read-only on 127.0.0.1. */
export async function startGitDaemon(upstream: Upstream, port?: number): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const p = port ?? (await freePort());
  // git-daemon itself, not the `git daemon` wrapper: a signal to the wrapper would leave the
  // daemon listening.
  const daemon = join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-daemon');
  const child = spawn(daemon, ['--reuseaddr', '--export-all', `--base-path=${upstream.root}`, '--listen=127.0.0.1', `--port=${p}`, upstream.root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await listening(p, child, () => output);
  return {
    url: `git://127.0.0.1:${p}/${upstream.name}`,
    port: p,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Smart HTTP: a node server that answers 401 without `Authorization: Basic <any user>:<token>`
 * and otherwise runs `git http-backend` as a CGI for each request. `requests` counts the calls.
 */
export async function startGitHttp(upstream: Upstream, token: string): Promise<{ url: string; server: Server; requests: { authorized: number; refused: number }; stop(): Promise<void> }> {
  const requests = { authorized: 0, refused: 0 };
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    if (decoded.slice(decoded.indexOf(':') + 1) !== token || !decoded.includes(':')) {
      requests.refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('token required\n');
      req.resume();
      return;
    }
    requests.authorized++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: upstream.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: decoded.slice(0, decoded.indexOf(':')),
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin!);
    // CGI output: headers (Status: ...), a blank line, the body.
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout!.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      started = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/${upstream.name}`,
    server,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

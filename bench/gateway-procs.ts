// Child processes of the gateway benchmark: node scripts that announce themselves with one JSON
// line on stdout, and nginx with a configuration written into a temporary folder.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Starts `node --import tsx <script> ...args` and resolves with the child and its first stdout line, parsed. */
export function startNodeScript<T>(script: string, args: string[]): Promise<{ child: ChildProcess; hello: T }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 20 s`)), 20_000);
    child.on('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const nl = buffered.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      resolve({ child, hello: JSON.parse(buffered.slice(0, nl)) as T });
    });
  });
}

/** A port free at the time of asking (nginx needs one named in its configuration). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** nginx.conf for the benchmark: `workers` worker processes, upstreams weighted 90/10 with a keep-alive pool. */
export function nginxConf(dir: string, port: number, upstreams: [number, number], workers = 1): string {
  return `worker_processes ${workers};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream bench {
    server 127.0.0.1:${upstreams[0]} weight=90;
    server 127.0.0.1:${upstreams[1]} weight=10;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location /gateway/bench/ {
      proxy_pass http://bench/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Writes the configuration into `dir` and starts nginx in the foreground on `port`. */
export async function startNginx(dir: string, port: number, upstreams: [number, number], workers = 1): Promise<ChildProcess> {
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConf(dir, port, upstreams, workers));
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error('cannot start nginx', { cause: err })));
    child.once('spawn', () => resolve());
  });
  return child;
}

/** Polls `url` until it answers 200, for at most 10 s. */
export async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a child and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// A real git repository in a temp folder, for tests that drive DSR with commits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway git work tree with helpers to write, commit and read HEAD. */
export class GitRepo {
  readonly dir: string;

  constructor(prefix = 'dsr-git-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@dsr.invalid');
    this.git('config', 'user.name', 'DSR test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  /** Runs git in the repository and returns its trimmed output. */
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' }).trim();
  }

  /** Writes a file (creating folders) without committing it. */
  write(path: string, content: string): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  /** Stages everything and commits; returns the new commit id. */
  commit(message = 'change'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  /** The commit id at HEAD. */
  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  /** Removes the repository. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A minimal valid manifest for a service. */
export function manifest(name: string, opts: { image?: string; replicas?: number; version?: string; port?: number; interval?: string } = {}): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
  port: ${opts.port ?? 80}
  health:
    path: /health
    interval: ${opts.interval ?? '1s'}
    timeout: 1s
    failureThreshold: 3
    startPeriod: 0s
  versions:
    - name: ${opts.version ?? 'v1'}
      image: ${opts.image ?? 'dsr-test-web:v1'}
      replicas: ${opts.replicas ?? 1}
`;
}

// Chooses and opens the source of manifests for `dsr run`: a remote repository when --repo
// (DSR_REPO) is given, otherwise the local folder (git or worktree mode).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewEvent } from '../events/types.js';
import { ManifestSource } from '../source/manifest-source.js';
import { remoteConfig, RemoteConfigError } from '../source/remote-config.js';
import { RemoteSource } from '../source/remote-source.js';
import type { Source } from '../source/source.js';

export interface SourceOptions {
  manifests: string;
  source: 'git' | 'worktree' | 'auto';
  repo: string | null;
  branch: string;
  path: string;
  poll: string;
  dataDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** DSR_GIT_TOKEN, else the first line of DSR_GIT_TOKEN_FILE, else null. */
async function readToken(env: Env): Promise<string | null> {
  if (env.DSR_GIT_TOKEN) return env.DSR_GIT_TOKEN.trim();
  if (!env.DSR_GIT_TOKEN_FILE) return null;
  try {
    const token = (await readFile(env.DSR_GIT_TOKEN_FILE, 'utf8')).split('\n')[0]!.trim();
    if (token === '') throw new RemoteConfigError(`DSR_GIT_TOKEN_FILE (${env.DSR_GIT_TOKEN_FILE}) is empty: write the access token on its first line`);
    return token;
  } catch (error) {
    if (error instanceof RemoteConfigError) throw error;
    throw new RemoteConfigError(`DSR_GIT_TOKEN_FILE (${env.DSR_GIT_TOKEN_FILE}) cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path and its permissions`);
  }
}

/** Opens the source `options` ask for; a remote is fetched once before this returns. */
export async function openSource(options: SourceOptions, env: Env, record: (e: NewEvent) => Promise<void>, log: (m: string) => void): Promise<Source & { requestFetch?: () => void }> {
  if (!options.repo) return ManifestSource.open({ dir: options.manifests, mode: options.source });
  const config = remoteConfig({
    repo: options.repo, branch: options.branch, path: options.path, poll: options.poll,
    token: await readToken(env), username: env.DSR_GIT_USERNAME || null,
    sshKey: env.DSR_GIT_SSH_KEY || null, knownHosts: env.DSR_GIT_KNOWN_HOSTS || null,
  });
  const source = await RemoteSource.open({ config, reposDir: join(options.dataDir, 'repos'), record, log });
  log(source.status().summary);
  return source;
}

/** For the start-up line: `manifests: DIR, source: git at TOP` or `repository: URL, source: remote`. */
export function describeSource(source: Source): string {
  if (source instanceof ManifestSource) return `manifests: ${source.dir}, source: ${source.mode}${source.git ? ` at ${source.git.topLevel}` : ''}`;
  return `repository: ${source.dir}, source: remote`;
}

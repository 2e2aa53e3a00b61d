// The remote repository DSR follows (SPEC §10), from flags and the environment. Pure: reading
// the token file and writing helper files happen in remote-repo.ts.
import ms from 'ms';
import type { StringValue } from 'ms';

/** How DSR authenticates to the remote. Secrets live here only, never in a URL or an argument. */
export type GitCredentials =
  | { kind: 'none' }
  | { kind: 'token'; username: string; token: string }
  | { kind: 'ssh'; key: string; knownHosts: string };

/** A remote repository to clone and follow. */
export interface RemoteConfig {
  url: string;
  branch: string;
  /** The manifests folder inside the repository, '' for its top level. */
  path: string;
  pollMs: number;
  credentials: GitCredentials;
}

/** A flag or variable is wrong; the message names it and says what to set. */
export class RemoteConfigError extends Error {
  override readonly name = 'RemoteConfigError';
}

export interface RemoteInputs {
  repo: string;
  branch: string;
  path: string;
  poll: string;
  /** DSR_GIT_TOKEN, or the content of DSR_GIT_TOKEN_FILE (already read). */
  token: string | null;
  username: string | null;
  /** DSR_GIT_SSH_KEY: a path to a private key file. */
  sshKey: string | null;
  /** DSR_GIT_KNOWN_HOSTS: a known_hosts file (required with ssh). */
  knownHosts: string | null;
}

/** The schemes DSR fetches from; `ssh` also covers scp-like `git@host:owner/repo.git`. */
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/** The URL's scheme: http, https, ssh, git or file. */
export function urlScheme(url: string): string {
  if (SCP_LIKE.test(url)) return 'ssh';
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return match ? match[1]!.toLowerCase() : '';
}

/** The poll interval in ms: `30s`, `5m`, `500ms`; at least 1 s so DSR never hammers a forge. */
export function parsePoll(text: string): number {
  const out = /^\d+(ms|s|m|h)$/.test(text) ? ms(text as StringValue) : NaN;
  if (!Number.isFinite(out) || out < 1000) throw new RemoteConfigError(`--poll (DSR_POLL) must be a duration of at least 1s such as 30s or 5m, got ${JSON.stringify(text)}`);
  return out;
}

/**
 * Checks the inputs and chooses credentials: ssh for ssh URLs (a key and a known_hosts file are
 * required: an unknown host key is refused, never trusted on first use), a token for http(s).
 */
export function remoteConfig(input: RemoteInputs): RemoteConfig {
  const url = input.repo.trim();
  const scheme = urlScheme(url);
  if (!['http', 'https', 'ssh', 'git', 'file'].includes(scheme)) {
    throw new RemoteConfigError('--repo (DSR_REPO) must be an https://, http://, ssh://, git@host:path, git:// or file:// URL');
  }
  if (scheme !== 'ssh' && scheme !== 'file') {
    const parsed = new URL(url);
    // A token in the URL would land in git's arguments and error messages; the URL is not echoed.
    if (parsed.password !== '' || (parsed.username !== '' && scheme !== 'git')) {
      throw new RemoteConfigError('--repo (DSR_REPO) must not carry credentials: remove user:token@ from the URL and set DSR_GIT_TOKEN (or DSR_GIT_TOKEN_FILE) instead');
    }
  }
  const branch = input.branch.trim();
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith('-') || branch.includes('..')) {
    throw new RemoteConfigError(`--branch (DSR_BRANCH) must be a branch name such as main, got ${JSON.stringify(input.branch)}`);
  }
  const trimmed = input.path.trim().replace(/\/+$/, '');
  const path = trimmed === '.' ? '' : trimmed.replace(/^(\.\/)+/, '');
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw new RemoteConfigError(`--path (DSR_REPO_PATH) must be a folder inside the repository such as manifests, got ${JSON.stringify(input.path)}`);
  }
  let credentials: GitCredentials = { kind: 'none' };
  if (scheme === 'ssh') {
    if (input.sshKey && !input.knownHosts) {
      throw new RemoteConfigError('DSR_GIT_SSH_KEY is set but DSR_GIT_KNOWN_HOSTS is not: point it at a known_hosts file holding the server\'s host key (ssh-keyscan HOST > known_hosts, then check the fingerprint)');
    }
    if (input.sshKey && input.knownHosts) credentials = { kind: 'ssh', key: input.sshKey, knownHosts: input.knownHosts };
    else throw new RemoteConfigError('an ssh repository needs DSR_GIT_SSH_KEY (a private key file) and DSR_GIT_KNOWN_HOSTS (a known_hosts file)');
  } else if (input.token) {
    if (scheme !== 'http' && scheme !== 'https') throw new RemoteConfigError(`DSR_GIT_TOKEN is set but --repo is a ${scheme}:// URL, which takes no token: use its https:// URL`);
    credentials = { kind: 'token', username: input.username || 'x-access-token', token: input.token };
  }
  return { url, branch, path, pollMs: parsePoll(input.poll.trim()), credentials };
}

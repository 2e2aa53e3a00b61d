// The environment of every git process DSR spawns for a remote. Credentials go in through it,
// so no secret is ever in git's arguments, in a URL, or in a file: a token becomes an
// `Authorization` header set by `GIT_CONFIG_*` variables and scoped to the repository's URL
// (so a redirect to another host does not get it); an ssh key is named in GIT_SSH_COMMAND. Pure.
import type { GitCredentials } from './remote-config.js';

/** Quotes a word for the shell that runs GIT_SSH_COMMAND. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The variables to add to git's environment for fetching `url`. Prompts are never interactive
 * (a missing or refused credential fails the fetch at once); ssh refuses unknown host keys
 * (StrictHostKeyChecking=yes) and never asks for a passphrase (BatchMode).
 * Example (token `t` for https://git.example.com/o/r.git): { GIT_TERMINAL_PROMPT: '0',
 * GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.https://git.example.com/o/r.git.extraHeader',
 * GIT_CONFIG_VALUE_0: 'Authorization: Basic eC1hY2Nlc3MtdG9rZW46dA==' }.
 */
export function gitEnvironment(url: string, credentials: GitCredentials): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
  if (credentials.kind === 'token') {
    // Basic with the token as password: what GitHub, GitLab, Gitea/Forgejo and Bitbucket accept.
    const basic = Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = `http.${url}.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  if (credentials.kind === 'ssh') {
    env.GIT_SSH_COMMAND = [
      'ssh', '-i', shellQuote(credentials.key), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${shellQuote(credentials.knownHosts)}`,
    ].join(' ');
  }
  return env;
}

/** Replaces every occurrence of a secret (and its Basic form) in `text` (git's stderr) with `***`. */
export function redact(text: string, credentials: GitCredentials): string {
  if (credentials.kind !== 'token' || credentials.token.length < 4) return text;
  const basic = Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64');
  return text.split(credentials.token).join('***').split(basic).join('***');
}

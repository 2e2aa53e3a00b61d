// Secrets of SPEC §8 as Swarm secrets: their names, labels and content. Pure.
//
// Swarm has no "environment from a secret": a secret is a file in the task. So DSR stores each
// secret file's variables as a small shell script (`export KEY='value'` lines) that the task's
// entry sources before it execs the app (secret-entry.ts): the app gets the same environment
// as on the Docker runtime, and no value is ever written into the service spec. A Swarm secret
// cannot be updated, so the name carries the digest of the file's content (the keyed HMAC of the
// template, src/secrets/digest.ts): new content, new secret; the old one is pruned once no
// service uses it (secret-store.ts).
import { createHash } from 'node:crypto';
import { LABELS, MANAGED_BY } from '../docker/labels.js';

/** Swarm refuses secret names longer than this. */
export const SWARM_SECRET_NAME_MAX = 64;

/** How many hex digits of the content digest end a secret's name. */
const DIGEST_CHARS = 12;

/** How many hex digits of a hash of the full middle stand for it when the name is shortened. */
const MIDDLE_HASH_CHARS = 8;

/**
 * The Swarm secret holding one content of a service's secret file:
 * `dsr-<owner>-<service>-<secret>-<first 12 hex of the digest>`, e.g. `dsr-default-api-db-3f2a9c01b7e4`.
 * Longer than 64 characters, the middle is cut to fit and followed by 8 hex of its sha256, so two
 * long names never collide: `dsr-<first 38 of owner-service-secret>-<hash8>-<digest12>`.
 */
export function swarmSecretName(owner: string, service: string, secret: string, digest: string): string {
  const middle = `${owner}-${service}-${secret}`;
  const tail = digest.slice(0, DIGEST_CHARS);
  const full = `dsr-${middle}-${tail}`;
  if (full.length <= SWARM_SECRET_NAME_MAX) return full;
  const hash = createHash('sha256').update(middle).digest('hex').slice(0, MIDDLE_HASH_CHARS);
  const room = SWARM_SECRET_NAME_MAX - `dsr--${hash}-${tail}`.length;
  return `dsr-${middle.slice(0, room)}-${hash}-${tail}`;
}

/** Labels of a secret DSR created, so prune finds this owner's secrets and a reader sees whose it is. */
export function secretLabels(owner: string, service: string, secret: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: owner, [LABELS.service]: service, [LABELS.secret]: secret };
}

/** Where the task finds a secret's script: `/run/secrets/<this>` (`dsr-db.sh` for the secret `db`). */
export function secretFileName(secret: string): string {
  return `dsr-${secret}.sh`;
}

/** The directory Swarm mounts secrets in when their target is a bare file name. */
export const SECRETS_DIR = '/run/secrets';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A secret file's variables as a POSIX shell script that exports them, one line each, every value
 * in single quotes (inside which the shell interprets nothing: no `$`, no backslash, no backquote)
 * with each `'` written `'\''`. E.g. `{ A: "it's $HOME" }` →
 * `export A='it'\''s $HOME'`. `skip` names variables left out (DSR's own, which win on Docker too).
 * A key that is not a variable name throws: it would be shell code (the env-file parser refuses them first).
 */
export function renderSecretScript(variables: Readonly<Record<string, string>>, skip: readonly string[] = []): string {
  const lines = ['# Written by DSR from a secret file (SPEC §8): sourced before the app starts.'];
  for (const [key, value] of Object.entries(variables)) {
    if (!KEY.test(key)) throw new Error(`"${key}" is not an environment variable name: use letters, digits and "_", not starting with a digit`);
    if (skip.includes(key)) continue;
    lines.push(`export ${key}=${shellQuote(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `value` as one single-quoted shell word: `a'b` → `'a'\''b'`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

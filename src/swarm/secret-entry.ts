// How a Swarm task with secrets starts, and who may read its secret files. Pure.
//
// The task runs `/bin/sh -c '. /run/secrets/dsr-a.sh && … && exec "$@"' dsr-secrets <argv>`: the
// shell exports the variables of each secret (secrets.ts) and replaces itself with the app, which
// keeps PID, signals and exit code as if started directly. <argv> is what Docker would have run:
// the image's Entrypoint followed by the manifest's command, else the image's Cmd. The price: the
// image needs /bin/sh (busybox, alpine, debian, ubuntu have one; distroless and scratch images
// do not, and run such a service with the Docker runtime).
import { SECRETS_DIR, secretFileName, shellQuote } from './secrets.js';

/** The name `$0` gets in the wrapper: what `ps` shows while the shell reads the secrets. */
const WRAPPER_NAME = 'dsr-secrets';

/** The shell the wrapper needs in the image. */
export const WRAPPER_SHELL = '/bin/sh';

/**
 * The command that sources the secrets' scripts in order, then execs its arguments: a later
 * secret wins a repeated variable, as on Docker. E.g. for `['db']`:
 * `['/bin/sh', '-c', ". '/run/secrets/dsr-db.sh' && exec \"$@\"", 'dsr-secrets']`.
 */
export function sourcingCommand(secrets: readonly string[]): string[] {
  const sources = secrets.map((name) => `. ${shellQuote(`${SECRETS_DIR}/${secretFileName(name)}`)}`);
  return [WRAPPER_SHELL, '-c', [...sources, 'exec "$@"'].join(' && '), WRAPPER_NAME];
}

/** The part of an image's config that says what it runs (`docker image inspect` → Config). */
export interface ImageCommand {
  Entrypoint?: string[] | string | null;
  Cmd?: string[] | string | null;
}

/**
 * What Docker would run for `image` with the manifest's `command` (null: the image's Cmd): the
 * image's Entrypoint, then the command. E.g. Entrypoint `["node"]`, Cmd `["server.js"]`, command
 * `["worker.js"]` → `["node", "worker.js"]`. Throws when that is nothing at all.
 */
export function imageArgv(image: string, config: ImageCommand, command: readonly string[] | null): string[] {
  const argv = [...words(config.Entrypoint), ...(command ?? words(config.Cmd))];
  if (argv.length === 0) throw new Error(`${image} has no Entrypoint or Cmd and the manifest no command: set spec command so the task knows what to run`);
  return argv;
}

// The Engine reports both forms as arrays; a string (older engines) is the shell form.
function words(value: string[] | string | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'string' ? [WRAPPER_SHELL, '-c', value] : value;
}

/** Owner and mode of a secret file in the task (Swarm's SecretReference.File without its name). */
export interface SecretFileAccess {
  UID: string;
  GID: string;
  Mode: number;
}

const NUMERIC = /^[0-9]+$/;

/**
 * Who owns the secret files, from the image's `User` (the manifest cannot set one): readable by
 * that user alone (0400) when it is root or numeric (`1000`, `1000:1000`). A named user (`node`)
 * has a uid only the image's /etc/passwd knows: with a numeric group (`node:1000`) the files are
 * 0440 for that group; else 0444, root's, readable by every user of that container (on Docker,
 * other users could not read the app's environment in /proc).
 */
export function secretFileAccess(user: string | null | undefined): SecretFileAccess {
  const [uid = '', gid = ''] = (user ?? '').split(':');
  const group = NUMERIC.test(gid) ? gid : '0';
  if (uid === '' || uid === 'root') return { UID: '0', GID: group, Mode: 0o400 };
  if (NUMERIC.test(uid)) return { UID: uid, GID: group, Mode: 0o400 };
  return NUMERIC.test(gid) ? { UID: '0', GID: gid, Mode: 0o440 } : { UID: '0', GID: '0', Mode: 0o444 };
}

/**
 * Whether a task's error says the wrapper's shell is missing from the image, e.g. Swarm's
 * `starting container failed: … exec: "/bin/sh": stat /bin/sh: no such file or directory`.
 */
export function isMissingShell(taskError: string): boolean {
  return taskError.includes(WRAPPER_SHELL) && /no such file or directory|executable file not found/i.test(taskError);
}

/** What to do when isMissingShell(): the error a create reports. */
export const MISSING_SHELL_HINT = `its image has no ${WRAPPER_SHELL}, which DSR needs on Swarm to put spec.secrets into the environment: use an image with a shell, or run this service with the Docker runtime`;

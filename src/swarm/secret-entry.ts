// How a Swarm task with secrets starts, and who may read its secret files. Pure.
//
// The task runs `/bin/sh -c '. /run/secrets/dsr-a.sh && … && exec "$@"' dsr-secrets <argv>`: the
// shell exports the variables of each secret (secrets.ts) and replaces itself with the app, which
// keeps PID, signals and exit code as if started directly. <argv> is what Docker would have run:
// the image's Entrypoint followed by the manifest's command, else the image's Cmd. The price: the
// image needs /bin/sh (busybox, alpine, debian, ubuntu have one; distroless and scratch images
// do not, and run such a service with the Docker runtime).
import type { ContainerSpec } from 'dockerode';
import { SECRETS_DIR, secretFileName, shellQuote } from './secrets.js';

/** The ContainerSpec fields a task with secrets gets (over the service spec's Args): the wrapper, the app's argv, the secrets' references. */
export type SecretTaskFields = Pick<ContainerSpec, 'Command' | 'Args' | 'Secrets'>;

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
 * Who owns the secret files, from the image's `User` (the manifest cannot set one) and its
 * /etc/passwd (image-probe.ts): readable by that user alone (0400) when it is root, numeric
 * (`1000`, `1000:1000`) or named in the image's passwd (`node` → its uid and group). A name the
 * passwd does not know: with a numeric group (`app:1000`) the files are 0440 for that group; else
 * 0444, root's, readable by every user of that container (on Docker, other users could not read
 * the app's environment), so the app can still start.
 */
export function secretFileAccess(user: string | null | undefined, passwd: string | null = null): SecretFileAccess {
  const [name = '', group = ''] = (user ?? '').split(':');
  const gid = NUMERIC.test(group) ? group : null;
  if (name === '' || name === 'root') return { UID: '0', GID: gid ?? '0', Mode: 0o400 };
  if (NUMERIC.test(name)) return { UID: name, GID: gid ?? '0', Mode: 0o400 };
  const entry = passwd === null ? null : passwdEntry(passwd, name);
  if (entry) return { UID: entry.uid, GID: gid ?? entry.gid, Mode: 0o400 };
  return gid ? { UID: '0', GID: gid, Mode: 0o440 } : { UID: '0', GID: '0', Mode: 0o444 };
}

/** The uid and primary gid of `name` in an /etc/passwd text (`name:x:uid:gid:…` lines), or null. */
export function passwdEntry(passwd: string, name: string): { uid: string; gid: string } | null {
  for (const line of passwd.split('\n')) {
    const [user, , uid = '', gid = ''] = line.split(':');
    if (user === name && NUMERIC.test(uid) && NUMERIC.test(gid)) return { uid, gid };
  }
  return null;
}

/** What to do when the image has no /bin/sh (image-probe.ts): the error a create reports. */
export const MISSING_SHELL_HINT = `its image has no ${WRAPPER_SHELL}, which DSR needs on Swarm to put spec.secrets into the environment: use an image with a shell, or run this service with the Docker runtime`;

/**
 * What to exec in a task so the command sees the secrets' variables, as an exec in a Docker
 * container sees its Env: a task started through sourcingCommand() (its service's Command) runs
 * `command` through the same wrapper; any other task runs it as it is.
 */
export function execThroughEntry(serviceCommand: readonly string[] | null | undefined, command: readonly string[]): string[] {
  const ours = serviceCommand?.length === 4 && serviceCommand[0] === WRAPPER_SHELL && serviceCommand[1] === '-c' && serviceCommand[3] === WRAPPER_NAME;
  return ours ? [...serviceCommand, ...command] : [...command];
}

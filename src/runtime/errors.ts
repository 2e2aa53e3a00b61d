// Typed errors of the Docker runtime. Callers branch on the type (Docker down → keep serving and
// retry; pull failed → Degraded; conflict → report), never on message text.

// Socket/TCP failures that mean "no engine there", as opposed to the engine answering with an error.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The Docker engine cannot be reached (not running, wrong DOCKER_HOST, no permission on the socket). */
export class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';
  /** `unix:///var/run/docker.sock` or `http://host:2375`. */
  readonly endpoint: string;

  constructor(endpoint: string, operation: string, options: { cause: unknown }) {
    super(
      `${operation}: cannot reach the Docker engine at ${endpoint}: is it running? ` +
        'start it (e.g. `systemctl start docker` or `dockerd`) or set DOCKER_HOST' +
        permissionHint(options.cause),
      options,
    );
    this.endpoint = endpoint;
  }
}

/** Pulling an image failed; the message carries what the registry or engine said. */
export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  readonly image: string;

  constructor(image: string, reason: string, options?: { cause: unknown }) {
    super(`pull ${image}: ${reason}`, options);
    this.image = image;
  }
}

/** A container with the instance's name exists but is not the one DSR would create (other spec hash, or not DSR's). */
export class ContainerConflictError extends Error {
  override readonly name = 'ContainerConflictError';
  readonly containerName: string;
  /** True when the container is not this DSR's at all (another program's, or another owner's). */
  readonly foreign: boolean;

  constructor(containerName: string, reason: string, options?: { cause?: unknown; foreign?: boolean }) {
    super(`create ${containerName}: ${reason}`, options);
    this.containerName = containerName;
    this.foreign = options?.foreign ?? false;
  }
}

/** A volume with the name DSR would give a service's named volume exists and is not that volume (no DSR labels for the owner and service). */
export class VolumeConflictError extends Error {
  override readonly name = 'VolumeConflictError';
  readonly volume: string;

  constructor(volume: string, service: string, owner: string) {
    super(`create volume ${volume}: it exists and is not DSR's volume of ${service} (owner ${owner})`);
    this.volume = volume;
  }
}

/** A named volume cannot be removed while a container uses it. */
export class VolumeInUseError extends Error {
  override readonly name = 'VolumeInUseError';
  readonly volume: string;
  readonly usedBy: string[];

  constructor(volume: string, usedBy: string[]) {
    super(`remove volume ${volume}: in use by ${usedBy.join(', ')}; remove the service's instances first (delete or scale the service to 0, commit, wait for DSR), then try again`);
    this.volume = volume;
    this.usedBy = usedBy;
  }
}

/** A command run in a container (Runtime.exec) did not finish within its timeout. */
export class ExecTimeoutError extends Error {
  override readonly name = 'ExecTimeoutError';
  readonly timeoutMs: number;

  constructor(containerId: string, command: string[], timeoutMs: number, detail = '') {
    super(`exec ${JSON.stringify(command)} in container ${containerId}: no exit within ${timeoutMs} ms${detail ? ` (${detail})` : ''}`);
    this.timeoutMs = timeoutMs;
  }
}

/** Runtime.exec was asked to run a command in a container that is gone or not running. */
export class ContainerNotRunningError extends Error {
  override readonly name = 'ContainerNotRunningError';
  readonly containerId: string;

  constructor(containerId: string, reason: string, options?: { cause: unknown }) {
    super(`exec in container ${containerId}: ${reason}; DSR replaces the instance on its next pass`, options);
    this.containerId = containerId;
  }
}

/** Any other failed engine call, with the operation it was part of and Docker's HTTP status. */
export class DockerOperationError extends Error {
  override readonly name = 'DockerOperationError';
  readonly statusCode: number | null;

  constructor(operation: string, options: { cause: unknown }) {
    super(`${operation}: ${dockerMessage(options.cause)}`, options);
    this.statusCode = statusCodeOf(options.cause);
  }
}

/** True when err (or anything in its cause chain) says the engine is unreachable. */
export function isDockerUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof DockerUnavailableError) return true;
  }
  return false;
}

/** True for a raw socket error meaning nothing answered at the engine's address. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

/** The HTTP status dockerode attached to an error, or null for transport errors. */
export function statusCodeOf(err: unknown): number | null {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

/** The engine's own message from a dockerode error (its JSON body), else the error's message. */
export function dockerMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string') return json.message;
  // dockerode prefixes "(HTTP code 500) server error - "; the status is kept on the cause.
  if (err instanceof Error) return err.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  return String(err);
}

/** Wraps an engine error: connection failures become DockerUnavailableError, the rest DockerOperationError. */
export function wrapDockerError(endpoint: string, operation: string, err: unknown): Error {
  if (err instanceof DockerUnavailableError || err instanceof ContainerConflictError || err instanceof ImagePullError || err instanceof ExecTimeoutError || err instanceof ContainerNotRunningError) {
    return err;
  }
  if (isConnectionError(err)) return new DockerUnavailableError(endpoint, operation, { cause: err });
  return new DockerOperationError(operation, { cause: err });
}

function permissionHint(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === 'EACCES' ? ' (permission denied on the socket: run as a user in the docker group)' : '';
}

// Where a Dockerode client talks to, for error messages that tell the user what to check.
import Dockerode from 'dockerode';

/** A client for DOCKER_HOST, or the local socket (/var/run/docker.sock) when it is unset. */
export function defaultDocker(): Dockerode {
  return new Dockerode();
}

/** `unix:///var/run/docker.sock`, `http://10.0.0.5:2375`, … as the client is configured. */
export function describeEndpoint(docker: Dockerode): string {
  // docker-modem keeps these as plain fields that its type declarations omit.
  const modem = docker.modem as unknown as { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  if (typeof modem.host === 'string' && modem.host) {
    const protocol = typeof modem.protocol === 'string' ? modem.protocol : 'http';
    const port = modem.port === undefined || modem.port === '' ? '' : `:${String(modem.port)}`;
    return `${protocol}://${modem.host}${port}`;
  }
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  // The default socket is resolved lazily (it may be Docker Desktop's per-user socket).
  return process.env['DOCKER_HOST'] || 'unix:///var/run/docker.sock';
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { describeEndpoint } from '../../src/docker/endpoint.js';
import {
  ContainerConflictError,
  DockerOperationError,
  DockerUnavailableError,
  dockerMessage,
  isDockerUnavailable,
  wrapDockerError,
} from '../../src/runtime/errors.js';
import { detectMode } from '../../src/docker/mode.js';

const sockErr = (code: string): Error => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
const httpErr = (statusCode: number, message: string): Error =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });

describe('wrapDockerError', () => {
  const cases: Array<{ name: string; err: unknown; type: new (...args: never[]) => Error; message: RegExp }> = [
    { name: 'turns a refused connection into DockerUnavailableError', err: sockErr('ECONNREFUSED'), type: DockerUnavailableError, message: /^list: cannot reach the Docker engine at unix:\/\/\/s: is it running\? start it/ },
    { name: 'turns a missing socket into DockerUnavailableError', err: sockErr('ENOENT'), type: DockerUnavailableError, message: /set DOCKER_HOST$/ },
    { name: 'explains a permission problem', err: sockErr('EACCES'), type: DockerUnavailableError, message: /docker group/ },
    { name: "keeps the engine's message for an HTTP error", err: httpErr(404, 'No such image: x:1'), type: DockerOperationError, message: /^list: No such image: x:1$/ },
    { name: 'passes typed errors through', err: new ContainerConflictError('dsr-web-v1-1', 'taken'), type: ContainerConflictError, message: /^create dsr-web-v1-1: taken$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const wrapped = wrapDockerError('unix:///s', 'list', c.err);
      assert.ok(wrapped instanceof c.type, `got ${wrapped.name}`);
      assert.match(wrapped.message, c.message);
      if (!(c.err instanceof ContainerConflictError)) assert.equal(wrapped.cause, c.err);
    });
  }

  it('keeps the HTTP status on DockerOperationError', () => {
    const wrapped = wrapDockerError('unix:///s', 'start x', httpErr(500, 'port is already allocated'));
    assert.ok(wrapped instanceof DockerOperationError);
    assert.equal(wrapped.statusCode, 500);
  });
});

describe('isDockerUnavailable', () => {
  const down = new DockerUnavailableError('unix:///s', 'ping', { cause: sockErr('ECONNREFUSED') });
  const cases: Array<[string, unknown, boolean]> = [
    ['is true for the error itself', down, true],
    ['finds it in a cause chain', new Error('apply', { cause: new Error('create', { cause: down }) }), true],
    ['is false for other errors', new DockerOperationError('x', { cause: new Error('y') }), false],
    ['is false for a raw socket error (wrap it first)', sockErr('ECONNREFUSED'), false],
    ['is false for non-errors', 'ECONNREFUSED', false],
  ];
  for (const [name, err, want] of cases) it(name, () => assert.equal(isDockerUnavailable(err), want));
});

describe('dockerMessage', () => {
  const cases: Array<[string, unknown, string]> = [
    ['prefers the JSON body', httpErr(409, 'Conflict. The name is in use'), 'Conflict. The name is in use'],
    ['strips dockerode\'s HTTP prefix', new Error('(HTTP code 500) server error - Get "https://registry": no such host '), 'Get "https://registry": no such host'],
    ['keeps a plain message', new Error('socket hang up'), 'socket hang up'],
  ];
  for (const [name, err, want] of cases) it(name, () => assert.equal(dockerMessage(err), want));
});

describe('describeEndpoint', () => {
  const cases: Array<[string, Dockerode, string]> = [
    ['names a socket', new Dockerode({ socketPath: '/run/user/1000/docker.sock' }), 'unix:///run/user/1000/docker.sock'],
    ['names a TCP host', new Dockerode({ host: '10.0.0.5', port: 2375, protocol: 'http' }), 'http://10.0.0.5:2375'],
  ];
  for (const [name, docker, want] of cases) it(name, () => assert.equal(describeEndpoint(docker), want));
});

describe('detectMode', () => {
  const cases: Array<{ name: string; env: NodeJS.ProcessEnv; want: 'host' | 'network' }> = [
    { name: 'is host mode by default, even in a sandbox container', env: {}, want: 'host' },
    { name: 'is network mode when DSR_IN_DOCKER=1 (DSR\'s image)', env: { DSR_IN_DOCKER: '1' }, want: 'network' },
    { name: 'lets DSR_NETWORK_MODE force host mode in DSR\'s image', env: { DSR_IN_DOCKER: '1', DSR_NETWORK_MODE: 'host' }, want: 'host' },
    { name: 'lets DSR_NETWORK_MODE force network mode', env: { DSR_NETWORK_MODE: 'network' }, want: 'network' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(detectMode(c.env), c.want));

  it('rejects an unknown DSR_NETWORK_MODE', () => {
    assert.throws(() => detectMode({ DSR_NETWORK_MODE: 'bridge' }), /must be "host" or "network"/);
  });
});

// Terminal vs retryable errors, and the blocked actions they leave until a person acts.
import { describe, it } from 'node:test';
import { STACK_FIELDS_ABSENT } from '../helpers/stack-fields.js';
import assert from 'node:assert/strict';
import { ContainerConflictError, DockerOperationError, DockerUnavailableError, ImagePullError, VolumeConflictError } from '../../src/runtime/errors.js';
import { ApplyError } from '../../src/controller/apply.js';
import { TerminalBlocks, actionKey, specFingerprint, terminalAdvice } from '../../src/controller/terminal.js';
import type { CreateAction } from '../../src/plan/actions.js';
import { DEFAULT_ANALYSIS, DEFAULT_GATEWAY, DEFAULT_HEALTH } from '../../src/manifest/defaults.js';
import type { ServiceSpec } from '../../src/manifest/service-spec.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';

const httpErr = (statusCode: number, message: string): Error => Object.assign(new Error(message), { statusCode, json: { message } });
const NAME = 'dsr-t1-web-v1-1';
const create: CreateAction = {
  type: 'create', service: 'web', version: 'v1', replacement: false, reason: 'start 1 replica',
  instance: { service: 'web', version: 'v1', index: 1, template: { image: 'app:1', env: {}, command: null, port: 80, ...ADDED_DEFAULTS }, specHash: 'abc123' },
};

describe('terminalAdvice', () => {
  const cases: Array<{ name: string; error: unknown; advice: RegExp | null }> = [
    {
      name: 'a volume of the name DSR would use that is not DSR\'s: rename or remove it',
      error: new VolumeConflictError('dsr-t1-db-data', 'db', 't1'),
      advice: /^a volume named dsr-t1-db-data exists and is not DSR's: rename or remove it \(docker volume rm dsr-t1-db-data\), then run `dsr retry web`$/,
    },
    {
      name: 'a foreign container holding the name: remove or rename it',
      error: new ContainerConflictError(NAME, 'not ours', { foreign: true }),
      advice: new RegExp(`^a container named ${NAME} exists and is not DSR's: remove or rename it \\(docker rm -f ${NAME}\\), then run \`dsr retry web\`$`),
    },
    {
      name: 'a container of that name with another spec: remove it',
      error: new ContainerConflictError(NAME, 'other hash'),
      advice: /^a container named \S+ exists with another spec: remove it/,
    },
    {
      name: 'found through the cause chain of the failed action',
      error: new ApplyError(create, { cause: new ContainerConflictError(NAME, 'not ours', { foreign: true }) }),
      advice: /is not DSR's/,
    },
    {
      name: 'Docker refusing the spec (400): fix the manifest',
      error: new DockerOperationError('start x', { cause: httpErr(400, 'exec: "/nope": stat /nope: no such file or directory') }),
      advice: /^Docker refused the container \(start x: exec: .*\): fix the manifest and commit$/,
    },
    {
      name: 'an image the registry does not have (404): fix the name or build it',
      error: new ImagePullError('web:v9', 'pull access denied', { cause: httpErr(404, 'pull access denied') }),
      advice: /^image web:v9 does not exist or cannot be accessed: fix the image name and commit, or build or load it/,
    },
    { name: 'a registry outage is retried', error: new ImagePullError('web:v9', 'TLS handshake timeout', { cause: httpErr(500, 'timeout') }), advice: null },
    { name: 'a pull that broke mid-stream is retried', error: new ImagePullError('web:v9', 'unexpected EOF'), advice: null },
    { name: 'an unreachable engine is retried', error: new DockerUnavailableError('unix:///s', 'list', { cause: new Error('ECONNREFUSED') }), advice: null },
    { name: 'an engine error (500) is retried', error: new DockerOperationError('start x', { cause: httpErr(500, 'driver failed') }), advice: null },
    { name: 'a container gone meanwhile (404) is retried', error: new DockerOperationError('start x', { cause: httpErr(404, 'No such container') }), advice: null },
    { name: 'an unknown error is retried', error: new Error('boom'), advice: null },
    { name: 'a non-error is retried', error: 'boom', advice: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const advice = terminalAdvice(c.error, 'web');
      if (c.advice === null) assert.equal(advice, null);
      else assert.match(advice ?? '(retryable)', c.advice);
    });
  }
});

describe('TerminalBlocks', () => {
  const spec = (image: string): ServiceSpec => ({
    name: 'web', port: 80, health: { ...DEFAULT_HEALTH }, ...STACK_FIELDS_ABSENT, versions: [{ name: 'v1', image, replicas: 1, weight: 100, env: {}, command: null }],
    rollout: { steps: [], analysis: { ...DEFAULT_ANALYSIS }, progressDeadlineMs: 1000 }, gateway: { ...DEFAULT_GATEWAY }, stopGracePeriodMs: 10_000,
    source: { file: 'web.yaml', line: 1, column: 1 },
  });
  const before = specFingerprint(spec('app:1'));
  const key = actionKey(create);

  it('blocks an action once: the same advice again is not new (one event)', () => {
    const blocks = new TerminalBlocks();
    assert.equal(blocks.add('web', before, key, 'remove it'), true);
    assert.equal(blocks.add('web', before, key, 'remove it'), false);
    assert.deepEqual([...blocks.current('web', before).keys()], [key]);
    assert.deepEqual(blocks.list('web'), [{ action: key, advice: 'remove it' }]);
  });

  it('a change of the manifest unblocks', () => {
    const blocks = new TerminalBlocks();
    blocks.add('web', before, key, 'remove it');
    assert.equal(blocks.current('web', specFingerprint(spec('app:2'))).size, 0);
    assert.deepEqual(blocks.list('web'), []);
  });

  it('moving the declaration inside its file is not a change', () => {
    const moved = { ...spec('app:1'), source: { file: 'web.yaml', line: 9, column: 1 } };
    assert.equal(specFingerprint(moved), before);
  });

  it('dsr retry unblocks, and says whether anything was blocked', () => {
    const blocks = new TerminalBlocks();
    blocks.add('web', before, key, 'remove it');
    assert.equal(blocks.clear('web'), true);
    assert.equal(blocks.clear('web'), false);
    assert.equal(blocks.current('web', before).size, 0);
  });

  it('keys an action by instance and spec, so another spec of the same instance is a new action', () => {
    const other: CreateAction = { ...create, instance: { ...create.instance, specHash: 'def456' } };
    assert.notEqual(actionKey(other), key);
    assert.equal(actionKey({ type: 'remove', service: 'web', version: 'v1', containerId: 'c1', name: NAME, failure: false, newIncident: false, reason: 'x', gracePeriodMs: null }), 'remove c1');
  });
});

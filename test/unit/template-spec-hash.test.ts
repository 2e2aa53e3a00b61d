// The spec hash: what changes it (a new container) and what does not. The hashes of today's
// manifests are pinned separately in spec-hash-compat.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalTemplate, specHash } from '../../src/template/spec-hash.js';
import { ADDED_DEFAULTS, type ContainerTemplate } from '../../src/template/container-template.js';

describe('specHash', () => {
  const base: ContainerTemplate = { image: 'web:v1', env: { A: '1', B: '2' }, command: null, port: 80, ...ADDED_DEFAULTS };
  const same: Array<{ name: string; other: ContainerTemplate }> = [
    { name: 'ignores the order env keys were written in', other: { ...base, env: { B: '2', A: '1' } } },
    { name: 'is stable for an identical spec', other: { ...base, env: { ...base.env } } },
  ];
  const different: Array<{ name: string; other: ContainerTemplate }> = [
    { name: 'changes with the image', other: { ...base, image: 'web:v2' } },
    { name: 'changes with an env value', other: { ...base, env: { A: '1', B: '3' } } },
    { name: 'changes with an added env key', other: { ...base, env: { ...base.env, C: '' } } },
    { name: 'changes with the port', other: { ...base, port: 8080 } },
    { name: 'tells no command from an empty one', other: { ...base, command: [] } },
    { name: 'tells command word boundaries apart', other: { ...base, command: ['a b'] } },
    { name: 'changes with a named volume', other: { ...base, volumes: [{ kind: 'named', name: 'data', mountPath: '/data', readOnly: false }] } },
    { name: 'changes with a volume made read-only', other: { ...base, volumes: [{ kind: 'named', name: 'data', mountPath: '/data', readOnly: true }] } },
    { name: 'changes with a host path', other: { ...base, volumes: [{ kind: 'host', hostPath: '/srv/conf', mountPath: '/conf', readOnly: true }] } },
    { name: 'changes with a memory limit', other: { ...base, resources: { ...base.resources, memoryBytes: 268_435_456 } } },
    { name: 'changes with a CPU limit', other: { ...base, resources: { ...base.resources, nanoCpus: 500_000_000 } } },
    { name: 'changes with a pids limit', other: { ...base, resources: { ...base.resources, pids: 100 } } },
    { name: 'changes with a user label', other: { ...base, labels: { team: 'web' } } },
    { name: 'changes with a secret', other: { ...base, secrets: [{ name: 'db', digest: '0123456789abcdef' }] } },
    { name: "changes with a secret file's digest", other: { ...base, secrets: [{ name: 'db', digest: 'fedcba9876543210' }] } },
  ];

  it('is 12 hex digits', () => assert.match(specHash(base), /^[0-9a-f]{12}$/));
  for (const c of same) it(c.name, () => assert.equal(specHash(c.other), specHash(base)));
  for (const c of different) it(c.name, () => assert.notEqual(specHash(c.other), specHash(base)));
  it('tells ["a b"] from ["a", "b"]', () =>
    assert.notEqual(specHash({ ...base, command: ['a b'] }), specHash({ ...base, command: ['a', 'b'] })));
  it('is taken over the tuple [image, sorted env pairs, command, port] every release used', () =>
    assert.equal(canonicalTemplate({ ...base, env: { B: '2', A: '1' } }), '["web:v1",[["A","1"],["B","2"]],null,80]'));
  it('leaves every added field out while at its default: the tuple of the first release', () =>
    assert.equal(canonicalTemplate({ ...base, volumes: [], resources: { memoryBytes: null, nanoCpus: null, pids: null }, labels: {}, secrets: [] }), '["web:v1",[["A","1"],["B","2"]],null,80]'));
  it('hashes a secret by name and digest only', () =>
    assert.equal(canonicalTemplate({ ...base, secrets: [{ name: 'db', digest: 'd1' }] }), '["web:v1",[["A","1"],["B","2"]],null,80,{"secrets":[["db","d1"]]}]'));
  it('appends only the added fields not at their default, keys sorted', () =>
    assert.equal(
      canonicalTemplate({ ...base, labels: { b: '2', a: '1' }, resources: { memoryBytes: null, nanoCpus: null, pids: 100 } }),
      '["web:v1",[["A","1"],["B","2"]],null,80,{"labels":[["a","1"],["b","2"]],"resources":{"pids":100}}]'));
  it('tells labels written in another order apart from none, but not from each other', () =>
    assert.equal(specHash({ ...base, labels: { b: '2', a: '1' } }), specHash({ ...base, labels: { a: '1', b: '2' } })));
});

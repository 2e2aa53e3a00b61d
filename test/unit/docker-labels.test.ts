import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceLabels, ownerLabelFilters } from '../../src/docker/labels.js';
import { assertValidOwner, containerName } from '../../src/runtime/names.js';

describe('containerName', () => {
  const cases: Array<{ name: string; owner: string; service: string; version: string; index: number; want: string }> = [
    { name: 'leaves the default owner out', owner: 'default', service: 'web', version: 'v2', index: 1, want: 'dsr-web-v2-1' },
    { name: 'puts any other owner first', owner: 't3k9x2', service: 'web', version: 'v2', index: 3, want: 'dsr-t3k9x2-web-v2-3' },
    { name: 'keeps dotted versions', owner: 'default', service: 'api', version: '1.2.0', index: 10, want: 'dsr-api-1.2.0-10' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(containerName(c.owner, c.service, c.version, c.index), c.want));
  }
});

describe('assertValidOwner', () => {
  const cases: Array<{ name: string; owner: string; valid: boolean }> = [
    { name: 'accepts the default owner', owner: 'default', valid: true },
    { name: 'accepts a test owner', owner: 't3k9x2', valid: true },
    { name: 'accepts dashes inside', owner: 'prod-eu-1', valid: true },
    { name: 'rejects an empty owner', owner: '', valid: false },
    { name: 'rejects upper case', owner: 'Prod', valid: false },
    { name: 'rejects spaces', owner: 'my owner', valid: false },
    { name: 'rejects a leading dash', owner: '-x', valid: false },
    { name: 'rejects 41 characters', owner: 'a'.repeat(41), valid: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.valid) assert.doesNotThrow(() => assertValidOwner(c.owner));
      else assert.throws(() => assertValidOwner(c.owner), /invalid DSR owner/);
    });
  }
});

describe('labels', () => {
  it('selects one owner with the managed-by and owner labels', () => {
    assert.deepEqual(ownerLabelFilters('t1'), ['dsr.managed-by=dsr', 'dsr.owner=t1']);
  });

  it('labels an instance with everything list() reads back', () => {
    assert.deepEqual(instanceLabels('default', { service: 'web', version: 'v1', index: 2, specHash: 'abcdef012345', port: 8080 }), {
      'dsr.managed-by': 'dsr',
      'dsr.owner': 'default',
      'dsr.service': 'web',
      'dsr.version': 'v1',
      'dsr.spec-hash': 'abcdef012345',
      'dsr.instance': '2',
      'dsr.port': '8080',
    });
  });
});

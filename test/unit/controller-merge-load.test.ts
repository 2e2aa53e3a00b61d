import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeLoad } from '../../src/controller/merge-load.js';
import type { LoadResult, ServiceSpec } from '../../src/manifest/service-spec.js';
import { loadManifests } from '../../src/manifest/load.js';
import { manifest } from '../helpers/git-repo.js';

function spec(name: string, file: string, replicas = 1): ServiceSpec {
  const loaded = loadManifests([{ path: file, content: Buffer.from(manifest(name, { replicas })) }]);
  assert.equal(loaded.errors.length, 0);
  return loaded.services[0]!;
}

const error = (file: string) => ({ file, line: 1, column: 1, path: '', message: 'broken' });

describe('mergeLoad', () => {
  const webOld = spec('web', 'web.yaml', 2);
  const api = spec('api', 'api.yaml');
  const cases: Array<{
    name: string;
    load: LoadResult;
    lastValid: ServiceSpec[];
    services: Array<[string, number]>;
    invalid: string[];
    frozen: string[];
    unnamed?: number;
  }> = [
    {
      name: 'valid files apply as written',
      load: { services: [spec('web', 'web.yaml', 3), api], errors: [], failedFiles: [], fileCount: 2 },
      lastValid: [webOld],
      services: [['web', 3], ['api', 1]], invalid: [], frozen: [],
    },
    {
      name: 'a broken file keeps its service at the last valid state',
      load: { services: [api], errors: [error('web.yaml')], failedFiles: [{ file: 'web.yaml', serviceNames: ['web'] }], fileCount: 2 },
      lastValid: [webOld],
      services: [['api', 1], ['web', 2]], invalid: ['web'], frozen: [],
    },
    {
      name: 'a broken file with no valid past freezes its service',
      load: { services: [api], errors: [error('new.yaml')], failedFiles: [{ file: 'new.yaml', serviceNames: ['fresh'] }], fileCount: 2 },
      lastValid: [],
      services: [['api', 1]], invalid: ['fresh'], frozen: ['fresh'],
    },
    {
      name: 'a file too broken to name its services keeps those it declared last time',
      load: { services: [api], errors: [error('web.yaml')], failedFiles: [{ file: 'web.yaml', serviceNames: [] }], fileCount: 2 },
      lastValid: [webOld],
      services: [['api', 1], ['web', 2]], invalid: ['web'], frozen: [], unnamed: 1,
    },
    {
      name: 'a typo in the name of a broken file still keeps the service it declared last time',
      load: { services: [api], errors: [error('web.yaml')], failedFiles: [{ file: 'web.yaml', serviceNames: ['Web'] }], fileCount: 2 },
      lastValid: [webOld],
      services: [['api', 1], ['web', 2]], invalid: ['Web', 'web'], frozen: ['Web'],
    },
    {
      name: 'a name declared validly elsewhere is not overridden by a broken file',
      load: { services: [spec('web', 'other.yaml', 4)], errors: [error('web.yaml')], failedFiles: [{ file: 'web.yaml', serviceNames: ['web'] }], fileCount: 2 },
      lastValid: [webOld],
      services: [['web', 4]], invalid: [], frozen: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const state = mergeLoad(c.load, 'rev', new Map(c.lastValid.map((s) => [s.name, s])));
      assert.deepEqual([...state.services.values()].map((s) => [s.name, s.versions[0]!.replicas]), c.services);
      assert.deepEqual([...state.invalid.keys()], c.invalid);
      assert.deepEqual([...state.frozen], c.frozen);
      assert.equal(state.unnamedFailures, c.unnamed ?? 0);
      assert.equal(state.revision, 'rev');
    });
  }
});

// What `dsr volumes` prints and how `dsr status` shows a service's limits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderVolumes } from '../../src/cli/volumes.js';
import { describeLimits } from '../../src/cli/remote.js';

describe('renderVolumes', () => {
  it('lists each volume with its service, Docker name, creation time and users', () => {
    assert.deepEqual(renderVolumes([
      { service: 'db', name: 'data', dockerName: 'dsr-default-db-data', createdAt: '2026-12-02T04:00:12Z', usedBy: ['dsr-db-v1-1'] },
      { service: 'queue', name: 'spool', dockerName: 'dsr-default-queue-spool', createdAt: null, usedBy: [] },
    ]), [
      'SERVICE  NAME   DOCKER NAME              CREATED           IN USE BY',
      'db       data   dsr-default-db-data      2026-12-02 04:00  dsr-db-v1-1',
      'queue    spool  dsr-default-queue-spool  -                 -',
    ]);
  });
  it('says so when there are none', () => assert.deepEqual(renderVolumes([]), ['no named volumes']));
});

describe('describeLimits', () => {
  const cases: Array<{ name: string; resources: Parameters<typeof describeLimits>[0]; want: string }> = [
    { name: 'all three, memory in binary units', resources: { memoryBytes: 268_435_456, nanoCpus: 500_000_000, pids: 100 }, want: 'memory 256Mi, cpus 0.5, pids 100' },
    { name: 'a memory that is not a whole unit', resources: { memoryBytes: 1_610_612_736, nanoCpus: null, pids: null }, want: 'memory 1.5Gi' },
    { name: 'only the ones set', resources: { memoryBytes: null, nanoCpus: 2_000_000_000, pids: null }, want: 'cpus 2' },
    { name: 'none set', resources: { memoryBytes: null, nanoCpus: null, pids: null }, want: '' },
    { name: 'no spec', resources: null, want: '' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(describeLimits(c.resources), c.want));
});

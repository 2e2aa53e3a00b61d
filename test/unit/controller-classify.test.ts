// What a pass makes of one service, asked once: a table of named cases over classifyService().
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyService, type ClassifyInput, type ServiceCase } from '../../src/controller/classify.js';
import type { PruneGuardInput } from '../../src/plan/guard.js';

/** A folder declaring `web` and running `web` and `old`: nothing blocks pruning. */
const TRUSTED: PruneGuardInput = { declared: 1, unnamedFailures: 0, running: new Set(['web', 'old']), known: new Set(['web']), allowEmpty: false };

function input(over: Partial<ClassifyInput>): ClassifyInput {
  return { declared: false, frozen: false, containers: 0, stored: false, guard: TRUSTED, ...over };
}

describe('classifyService', () => {
  const cases: Array<{ name: string; input: ClassifyInput; want: ServiceCase }> = [
    { name: 'a declared service is declared, whatever runs', input: input({ declared: true, containers: 2, stored: true }), want: { kind: 'declared' } },
    {
      name: 'a declared service is declared even when the guard would block pruning (it is not pruned)',
      input: input({ declared: true, guard: { ...TRUSTED, unnamedFailures: 1 } }),
      want: { kind: 'declared' },
    },
    {
      name: 'a service no longer declared while a file cannot be read is prune-blocked',
      input: input({ containers: 1, guard: { ...TRUSTED, unnamedFailures: 1 } }),
      want: { kind: 'prune-blocked', reason: 'not removing old: 1 manifest file(s) could not be read, and may still declare them; fix the invalid files' },
    },
    {
      name: 'every service gone from a folder that declares none is prune-blocked without --allow-empty',
      input: input({ containers: 1, guard: { ...TRUSTED, declared: 0, known: new Set(), running: new Set(['old']) } }),
      want: { kind: 'prune-blocked', reason: 'not removing every running service (old): the manifests folder declares none; restart DSR with --allow-empty if that is intended' },
    },
    {
      name: 'with --allow-empty, a folder that declares none prunes: the service is an orphan',
      input: input({ containers: 1, guard: { ...TRUSTED, declared: 0, known: new Set(), running: new Set(['old']), allowEmpty: true } }),
      want: { kind: 'orphan' },
    },
    {
      name: 'the guard speaks first for a frozen service too (the report says why nothing is pruned)',
      input: input({ frozen: true, containers: 1, guard: { ...TRUSTED, unnamedFailures: 1 } }),
      want: { kind: 'prune-blocked', reason: 'not removing old: 1 manifest file(s) could not be read, and may still declare them; fix the invalid files' },
    },
    { name: 'a broken file declaring it with no valid past freezes it', input: input({ frozen: true, containers: 2 }), want: { kind: 'frozen' } },
    { name: 'a frozen service with no containers is still frozen, not gone', input: input({ frozen: true, stored: true }), want: { kind: 'frozen' } },
    { name: 'not declared with containers running is an orphan', input: input({ containers: 3, stored: true }), want: { kind: 'orphan' } },
    { name: 'not declared, nothing running, a stored record: gone, forget the record', input: input({ stored: true }), want: { kind: 'gone', stored: true } },
    { name: 'not declared, nothing running, nothing stored: gone', input: input({}), want: { kind: 'gone', stored: false } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(classifyService(c.input), c.want);
    });
  }
});

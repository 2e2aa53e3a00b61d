// The parsers behind `spec.resources` and DSR_HOST_PATHS, as tables of named cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nanoCpus, parseMemory } from '../../src/manifest/quantities.js';
import { hostPathProblem, parseHostPathRoots } from '../../src/manifest/host-paths.js';

describe('parseMemory', () => {
  const ok: Array<[string, string | number, number]> = [
    ['binary mebibytes', '256Mi', 268_435_456],
    ['binary gibibytes', '1Gi', 1_073_741_824],
    ['a fraction of a gibibyte', '1.5Gi', 1_610_612_736],
    ['binary kibibytes', '8192Ki', 8_388_608],
    ['binary tebibytes', '1Ti', 1024 ** 4],
    ['decimal megabytes', '512M', 512_000_000],
    ['decimal gigabytes', '2G', 2_000_000_000],
    ['decimal kilobytes, lower-case k', '7000k', 7_000_000],
    ['decimal kilobytes, upper-case K', '7000K', 7_000_000],
    ['bytes as a string', '1000000000', 1_000_000_000],
    ['bytes as a number', 10_000_000, 10_000_000],
    ['exactly Docker\'s minimum', '6Mi', 6 * 1024 * 1024],
    ['a fraction rounded down to whole bytes', '6.0000001Mi', 6_291_456],
    ['surrounding spaces', ' 64Mi ', 67_108_864],
  ];
  for (const [name, input, bytes] of ok) it(`reads ${name}: ${JSON.stringify(input)} → ${bytes}`, () => assert.deepEqual(parseMemory(input), { ok: true, bytes }));

  const bad: Array<[string, string | number, RegExp]> = [
    ['Docker\'s lower-case m', '512m', /^unknown unit "m" in "512m" \("m" means MiB\/GiB to Docker but milli\/giga to Kubernetes; write Mi\)/],
    ['Docker\'s lower-case g', '1g', /write Gi\)/],
    ['an unknown unit', '1Zi', /^unknown unit "Zi" in "1Zi": write a whole number of bytes/],
    ['a word', 'lots', /^"lots" is not a memory size/],
    ['a space inside', '256 Mi', /is not a memory size/],
    ['a negative number', '-1Gi', /is not a memory size/],
    ['a fraction of a byte', '1.5', /has a fraction of a byte/],
    ['a fractional number of bytes', 10_000_000.5, /has a fraction of a byte/],
    ['below 6Mi', '5Mi', /^"5Mi" is 5242880 bytes, below Docker's minimum of 6Mi \(6291456 bytes\)$/],
    ['zero', 0, /below Docker's minimum/],
    ['above 1Pi', '2000Ti', /is more than 1Pi; check the unit$/],
    ['an empty string', '', /is not a memory size/],
  ];
  for (const [name, input, message] of bad) {
    it(`refuses ${name}: ${JSON.stringify(input)}`, () => {
      const result = parseMemory(input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.message, message);
    });
  }
});

describe('nanoCpus', () => {
  const cases: Array<[string, number, number]> = [
    ['half a core', 0.5, 500_000_000],
    ['the smallest', 0.01, 10_000_000],
    ['two cores', 2, 2_000_000_000],
    ['a float that is not exact in binary', 0.1 + 0.2, 300_000_000],
  ];
  for (const [name, cpus, nano] of cases) it(`${name}: ${cpus} → ${nano}`, () => assert.equal(nanoCpus(cpus), nano));
});

describe('parseHostPathRoots (DSR_HOST_PATHS)', () => {
  const cases: Array<[string, string | undefined, string[], string[]]> = [
    ['unset: no roots', undefined, [], []],
    ['empty: no roots', '', [], []],
    ['one root', '/srv', ['/srv'], []],
    ['several, with empty entries skipped', '/srv::/data/apps:', ['/srv', '/data/apps'], []],
    ['.. and trailing slashes resolved', '/srv/x/../y/', ['/srv/y'], []],
    ['duplicates once', '/srv:/srv/', ['/srv'], []],
    ['a relative entry reported', '/srv:data', ['/srv'], ['data']],
  ];
  for (const [name, value, roots, invalid] of cases) it(name, () => assert.deepEqual(parseHostPathRoots(value), { roots, invalid }));
});

describe('hostPathProblem', () => {
  const roots = ['/srv', '/data/apps'];
  const cases: Array<[string, string, readonly string[], RegExp | null]> = [
    ['a folder under a root', '/srv/static', roots, null],
    ['the root itself', '/data/apps', roots, null],
    ['.. that stays inside', '/srv/a/../b', roots, null],
    ['anything under /', '/etc', ['/'], null],
    ['.. that leaves the root', '/srv/../etc', roots, /^"\/srv\/..\/etc" \(\/etc once ".." is resolved\) is not under a folder allowed by DSR_HOST_PATHS \(\/srv, \/data\/apps\)/],
    ['a sibling sharing a prefix', '/srvx', roots, /is not under a folder allowed/],
    ['a relative path', 'srv/x', roots, /^must be an absolute path/],
    ['no roots configured', '/srv/x', [], /^host paths are refused until the operator allows them: set DSR_HOST_PATHS/],
    ['a NUL character', '/srv/a\0b', roots, /NUL/],
  ];
  for (const [name, path, r, want] of cases) {
    it(name, () => {
      const got = hostPathProblem(path, r);
      if (want === null) assert.equal(got, null);
      else assert.match(got ?? '', want);
    });
  }
});

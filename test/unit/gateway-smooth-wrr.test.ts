import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SmoothWeightedRoundRobin } from '../../src/gateway/smooth-wrr.js';

/** The first n picks, as letters a, b, c... ('-' when nothing is eligible). */
function picks(wrr: SmoothWeightedRoundRobin, n: number, eligible?: (i: number) => boolean): string {
  let out = '';
  for (let k = 0; k < n; k++) {
    const i = wrr.next(eligible);
    out += i === -1 ? '-' : String.fromCharCode(97 + i);
  }
  return out;
}

describe('smooth weighted round-robin', () => {
  const sequences: Array<[string, number[], number, string]> = [
    ["follows nginx's worked example 5/1/1", [5, 1, 1], 7, 'aabacaa'],
    ['sends exactly one in ten to a 10% canary, never in bursts', [90, 10], 10, 'aaaaabaaaa'],
    ['alternates an even split', [50, 50], 6, 'ababab'],
    ['sends everything to a version at 100%', [100, 0], 5, 'aaaaa'],
    ['sends everything to the new version once it has 100%', [0, 100], 5, 'bbbbb'],
    ['picks nothing when every weight is 0', [0, 0], 3, '---'],
    ['treats negative and non-finite weights as 0', [-5, Number.NaN, 10], 3, 'ccc'],
    ['interleaves three versions 5:3:2', [50, 30, 20], 10, 'abcaabacba'],
  ];
  for (const [name, weights, n, expected] of sequences) {
    it(name, () => assert.equal(picks(new SmoothWeightedRoundRobin(weights), n), expected));
  }

  const exact: Array<[number[], number, number[]]> = [
    [[90, 10], 1000, [900, 100]],
    [[99, 1], 1000, [990, 10]],
    [[25, 75], 1000, [250, 750]],
    [[33, 33, 34], 1000, [330, 330, 340]],
    [[1, 1, 1, 97], 100, [1, 1, 1, 97]],
  ];
  for (const [weights, n, counts] of exact) {
    it(`splits ${n} picks exactly ${counts.join('/')} for weights ${weights.join('/')}`, () => {
      const wrr = new SmoothWeightedRoundRobin(weights);
      const seen = weights.map(() => 0);
      for (let k = 0; k < n; k++) seen[wrr.next()]!++;
      assert.deepEqual(seen, counts);
    });
  }

  it('shares the weight of an ineligible version among the others', () => {
    const wrr = new SmoothWeightedRoundRobin([50, 30, 20]);
    assert.equal(picks(wrr, 5, (i) => i !== 0), 'bcbcb'); // b:c = 3:2
    const counts = [0, 0, 0];
    for (let k = 0; k < 500; k++) counts[wrr.next((i) => i !== 0)]!++;
    assert.deepEqual(counts, [0, 300, 200]);
  });

  it('answers -1 when no version is eligible', () => {
    assert.equal(new SmoothWeightedRoundRobin([90, 10]).next(() => false), -1);
  });

  it('continues the same sequence from carried scores', () => {
    const first = new SmoothWeightedRoundRobin([90, 10]);
    const head = picks(first, 4);
    const carried = new SmoothWeightedRoundRobin([90, 10], first.snapshot());
    assert.equal(head + picks(carried, 6), 'aaaaabaaaa');
  });

  it('ignores carried scores of another length', () => {
    assert.equal(picks(new SmoothWeightedRoundRobin([90, 10], [5, 5, 5]), 10), 'aaaaabaaaa');
  });
});

// Smooth weighted round-robin, nginx's algorithm (ngx_http_upstream_get_peer). Deterministic and
// without bursts: each pick adds every eligible entry's weight to its running score, takes the
// highest score (first on ties), and subtracts the sum of eligible weights from the winner.
//
// Worked example, weights a=5 b=1 c=1 (total 7); scores before the pick -> pick -> after:
//   (5,1,1) a (-2,1,1) | (3,2,2) a (-4,2,2) | (1,3,3) b (1,-4,3) | (6,-3,4) a (-1,-3,4)
//   (4,-2,5) c (4,-2,-2) | (9,-1,-1) a (2,-1,-1) | (7,0,0) a (0,0,0)   => a a b a c a a, repeat.
// Weights 90/10 give v1 v1 v1 v1 v1 v2 v1 v1 v1 v1: exactly one canary pick in every ten.
// An ineligible entry (no healthy instance) is skipped and its weight is shared by the others,
// because the total subtracted is the sum of the eligible weights only.

/** Smooth WRR state over a fixed list of weights; pure (no clock, no randomness). */
export class SmoothWeightedRoundRobin {
  readonly weights: readonly number[];
  private readonly scores: number[];

  /** `carried` restores scores from an earlier instance with the same weights (see snapshot). */
  constructor(weights: readonly number[], carried?: readonly number[]) {
    // Negative or non-finite weights would make the scores diverge; they mean "no traffic".
    this.weights = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
    this.scores = carried && carried.length === weights.length ? [...carried] : this.weights.map(() => 0);
  }

  /** Index of the next pick among entries with weight > 0 that `eligible` accepts; -1 if none. */
  next(eligible?: (index: number) => boolean): number {
    let best = -1;
    let total = 0;
    for (let i = 0; i < this.weights.length; i++) {
      const weight = this.weights[i]!;
      if (weight === 0 || (eligible !== undefined && !eligible(i))) continue;
      total += weight;
      const score = this.scores[i]! + weight;
      this.scores[i] = score;
      if (best === -1 || score > this.scores[best]!) best = i;
    }
    if (best !== -1) this.scores[best]! -= total;
    return best;
  }

  /** The running scores, so a rebuilt table with identical weights continues the same sequence. */
  snapshot(): number[] {
    return [...this.scores];
  }
}

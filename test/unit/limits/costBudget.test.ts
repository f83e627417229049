// The cost budget per token: a bucket of a minute's budget, refilled
// continuously, one per token.
import { CostBudget } from '../../../src/graphql/costBudget.js';

describe('CostBudget', () => {
  let now = 0;
  const budget = () => new CostBudget(600, () => now);
  beforeEach(() => {
    now = 0;
  });

  it("serves a burst up to the minute's budget, then says when the next cost fits", () => {
    const b = budget();
    expect(b.take('t', 500)).toEqual({ granted: true });
    expect(b.take('t', 100)).toEqual({ granted: true });
    // Refilled at 10 a second: 30 more takes 3 s.
    expect(b.take('t', 30)).toEqual({ granted: false, retryAfterSeconds: 3 });
    now = 3000;
    expect(b.take('t', 30)).toEqual({ granted: true });
  });

  it('keeps each token its own bucket', () => {
    const b = budget();
    expect(b.take('a', 600)).toEqual({ granted: true });
    expect(b.take('a', 1).granted).toBe(false);
    expect(b.take('b', 600)).toEqual({ granted: true });
  });

  it('lets a cost above the whole budget take a full bucket, and never more than that', () => {
    const b = budget();
    expect(b.take('t', 5000)).toEqual({ granted: true });
    expect(b.take('t', 5000)).toEqual({ granted: false, retryAfterSeconds: 60 });
  });

  it('grants everything with a budget of 0', () => {
    expect(new CostBudget(0).take('t', 1e12)).toEqual({ granted: true });
  });
});

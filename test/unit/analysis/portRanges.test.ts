import { cutAtIntervals } from '../../../src/domain/analysis/portRanges.js';

const pieces = (min: number, max: number, intervals: [number, number | null][]) => cutAtIntervals({ min, max }, intervals).map((p) => [p.min, p.max]);

describe('cutAtIntervals', () => {
  it('cuts a range where an interval starts and after it ends', () => {
    expect(pieces(1, 65535, [[80, 80]])).toEqual([[1, 79], [80, 80], [81, 65535]]);
    expect(pieces(79, 81, [[80, 443]])).toEqual([[79, 79], [80, 81]]);
  });

  it('keeps a range no interval touches whole, and ignores bounds outside it', () => {
    expect(pieces(1000, 2000, [[22, 22], [3000, 4000]])).toEqual([[1000, 2000]]);
    expect(pieces(5, 5, [[1, 10]])).toEqual([[5, 5]]);
  });

  it('merges the bounds of overlapping intervals into one sorted cut list', () => {
    expect(pieces(1, 100, [[10, 20], [15, 30], [20, null], [10, 20]])).toEqual([[1, 9], [10, 14], [15, 19], [20, 20], [21, 30], [31, 100]]);
  });

  it('takes an interval reaching the last port without a cut past it', () => {
    expect(pieces(60000, 65535, [[61000, 65535]])).toEqual([[60000, 60999], [61000, 65535]]);
  });
});

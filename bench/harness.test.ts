import { describe, expect, it } from 'vitest';
import { summarise, withRatios } from './harness';

describe('bench harness', () => {
  it('computes median, p95 and ratios against a baseline of the same run', () => {
    const slow = summarise('slow', [10, 20, 30, 40, 100]);
    const fast = summarise('fast', [1, 2, 3, 4, 10], { baseline: 'slow' });
    expect(slow).toMatchObject({ n: 5, median: 30, p95: 100 });
    const [, withRatio] = withRatios([slow, fast]);
    expect(withRatio?.ratio).toBe(0.1);
  });
});

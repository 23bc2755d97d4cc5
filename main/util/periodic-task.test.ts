import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicTask', () => {
  it('runs at start, again after the chosen delay, one run at a time, and stops', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const task = new PeriodicTask(
      async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await tick(5);
        concurrent--;
        return ++runs;
      },
      () => 10,
    );
    task.start();
    const joined = await Promise.all([task.runNow(), task.runNow()]);
    expect(joined[0]).toBe(joined[1]);
    // Wait for three runs rather than a fixed time: CI machines are sometimes slow.
    for (let i = 0; i < 200 && runs < 3; i++) await tick(10);
    await task.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(maxConcurrent).toBe(1);
    await tick(40);
    expect(runs).toBe(after);
  });

  it('keeps going after a failed run, with the delay chosen from the error', async () => {
    const seen: unknown[] = [];
    let n = 0;
    const task = new PeriodicTask(
      async () => {
        if (++n === 1) throw new Error('platform down');
        return n;
      },
      (outcome) => {
        seen.push(outcome.error ?? outcome.value);
        return 5;
      },
    );
    task.start();
    for (let i = 0; i < 200 && seen.length < 3; i++) await tick(10);
    await task.stop();
    expect(String(seen[0])).toMatch(/platform down/);
    expect(seen.slice(1).every((v) => typeof v === 'number')).toBe(true);
  });
});

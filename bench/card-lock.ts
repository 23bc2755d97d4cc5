import { FakeCardReader } from '../native-bridges/card/fake-reader';
import { watchCards } from '../native-bridges/card/watch';
import { summarise, type BenchResult } from './harness';

/**
 * Card removal to lock: from the card leaving the reader to the watcher's removal callback (what
 * the session lock listens to), at the default 500 ms poll. Goal: under 1 s, every time.
 * No baseline: the design's worst case is one poll interval (500 ms), which the p95 is read against.
 */
export async function benchCardRemoval(n = 12): Promise<BenchResult[]> {
  const token = { label: 'CPS TEST', serial: 'BENCH-0001', certificatePem: '', privateKeyPem: '', pin: '1234' };
  const reader = new FakeCardReader(token);
  let removed: (() => void) | null = null;
  let inserted: (() => void) | null = null;
  const watch = watchCards(reader, { onRemoved: () => removed?.(), onInserted: () => inserted?.() });
  const samples: number[] = [];
  // The watcher's timer does not keep Node alive (an app quits with the card still inserted).
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    await watch.poll();
    for (let i = 0; i < n; i++) {
      // Pull the card at a random point of the poll cycle, as a person would.
      await new Promise((r) => setTimeout(r, Math.random() * 500));
      const gone = new Promise<void>((resolve) => (removed = resolve));
      const t0 = performance.now();
      reader.remove();
      await gone;
      samples.push(performance.now() - t0);
      const back = new Promise<void>((resolve) => (inserted = resolve));
      reader.insert(token);
      await back;
    }
  } finally {
    watch.stop();
    clearInterval(keepAlive);
  }
  return [summarise('card-removal-to-lock', samples, { note: '500 ms polling; goal: p95 < 1000 ms' })];
}

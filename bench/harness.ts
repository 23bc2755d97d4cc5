import { writeFileSync } from 'node:fs';

export interface BenchResult {
  name: string;
  unit: 'ms' | 'MB' | 'requests/min' | 'KB';
  n: number;
  median: number;
  p95: number;
  /** Name of the entry, measured in the same run, that this one is compared with. */
  baseline?: string;
  /** median / baseline median. */
  ratio?: number;
  note?: string;
  /** Load rows (issue 17 item 7): requests per second reached, requests sent, failed, run time. */
  requestRate?: number;
  requests?: number;
  failed?: number;
  elapsedMs?: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] as number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export function summarise(name: string, samples: number[], extra: Partial<BenchResult> = {}): BenchResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, unit: 'ms' as const, n: samples.length, median: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), ...extra };
}

/** Runs `fn` `warmup + n` times and keeps the last n durations (ms). */
export async function measure(n: number, fn: (i: number) => Promise<void> | void, warmup = 2, before?: (i: number) => Promise<void> | void): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    await before?.(i);
    const t0 = performance.now();
    await fn(i);
    const dt = performance.now() - t0;
    if (i >= warmup) samples.push(dt);
  }
  return samples;
}

/** Fills in ratios against baselines present in the same run. */
export function withRatios(results: BenchResult[]): BenchResult[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return results.map((r) => {
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    return base && base.median > 0 ? { ...r, ratio: round(r.median / base.median) } : r;
  });
}

export function writeResults(path: string, results: BenchResult[]): void {
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
  for (const r of results) {
    const ratio = r.ratio !== undefined ? `  ratio ${r.ratio} vs ${r.baseline}` : '';
    console.log(`${r.name.padEnd(40)} n=${String(r.n).padStart(3)}  median ${r.median.toFixed(2).padStart(9)} ${r.unit}  p95 ${r.p95.toFixed(2).padStart(9)} ${r.unit}${ratio}`);
  }
}

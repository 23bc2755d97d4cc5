/**
 * Memory of the core (issue 17 item 6): heap and RSS after opening the 10,000-entry patient
 * uncached (progressive open, back-fill to the end) and reading its journal to the oldest entry
 * page by page as the window does; then 50 switches between patients, looking for growth.
 * Numbers are after a full GC (V8's `gc`, exposed at run time), in MB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { LaunchContext, Patient } from '../contract';
import { composeCore } from '../main/compose';
import { BENCH_PATIENT_10K, DEMO_GP_RPPS } from '../sandbox/seed/index';
import type { BenchResult } from './harness';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function snapshot(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: mb(m.heapUsed), rss: mb(m.rss) };
}

const contextOf = (p: Patient): LaunchContext => ({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });

const row = (name: string, value: number, extra: Partial<BenchResult> = {}): BenchResult => ({ name, unit: 'MB', n: 1, median: value, p95: value, ...extra });

export async function benchMemory(platformUrl: string, switches = 50): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-mem-'));
  const comp = await composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
  try {
    const { core } = comp;
    const before = snapshot();
    const list = await core.handlers['patient.list']({});
    const big = list.find((p) => p.id === BENCH_PATIENT_10K.id)!;
    const others = list.filter((p) => p.ins && p.id !== big.id).slice(0, 4);
    const opened = await core.openPatient(contextOf(big), 'bench');
    // Scroll to the end: the window's page size, each page on demand (waits for the back-fill).
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await core.journal.pageOnDemand(opened.patient.id, cursor, 100);
      read += page.entries.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Every entry stored, read once: the store's count (the platform may hold more than the
    // seed's 10,000 when the journal-sync rows of the same run posted notes first).
    const stored = comp.store.countEntries(opened.patient.id);
    if (read !== stored || read < 10_000) throw new Error(`read ${read} entries, ${stored} stored`);
    await core.journal.sync(big.id);
    const scrolled = snapshot();

    const cycle = async (p: Patient) => {
      const o = await core.openPatient(contextOf(p), 'bench');
      await core.journal.pageOnDemand(o.patient.id, undefined);
      await core.handlers['patient.panels']({ patientId: o.patient.id });
      await core.journal.sync(o.patient.id);
    };
    const ring = [big, ...others];
    await cycle(ring[1]!);
    const first = snapshot();
    for (let i = 2; i <= switches; i++) await cycle(ring[i % ring.length]!);
    const last = snapshot();
    const growth = Math.round(((last.heap - first.heap) / first.heap) * 1000) / 10;
    return [
      row('heap-at-start', before.heap, { note: 'core composed, nothing opened' }),
      row('heap-after-10k-scrolled', scrolled.heap, { baseline: 'heap-at-start', note: '10,000-entry patient opened uncached and read to the oldest entry' }),
      row('rss-after-10k-scrolled', scrolled.rss, { note: 'resident set of the bench process (core + sandbox in one process)' }),
      row('heap-after-first-switch', first.heap, { note: 'after one switch (open, first page, panels, revalidation)' }),
      row('heap-after-50-switches', last.heap, {
        baseline: 'heap-after-first-switch',
        note: `${switches} switches across ${ring.length} patients; growth ${growth} % over the first switch; goal ≤ 10 %`,
      }),
    ];
  } finally {
    await comp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

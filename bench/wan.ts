/**
 * The read path over a simulated WAN (test/support/wan-proxy.ts: 20 ms each way, 20 Mbit/s),
 * each row beside its 0 ms twin (`lan-…`, same code, no proxy) and, for each optimisation of
 * issue 17, the same measure with it turned off (`…-before-…`) in the same run.
 *
 * Measured in the core, not in Chromium: « first paint » is the launch reaching the core until
 * the first journal page is in hand (what the window paints; the renderer adds the same few ms
 * with or without a WAN — see launch-to-paint.ts for the Chromium rows at 0 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchContext, Patient } from '../contract';
import { composeCore, type Composition } from '../main/compose';
import { createFhirPlatform, type FhirPlatformOptions } from '../main/platform/fhir/index';
import { DEFAULT_SYNC_TUNING, type SyncTuning } from '../main/features/journal/journal-service';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import type { Sandbox } from '../sandbox/server';
import { startWanProxy, type WanProxy } from '../test/support/wan-proxy';
import { measure, summarise, type BenchResult } from './harness';
import { countPlatformEntries } from './journal-sync';

type Tuning = Pick<FhirPlatformOptions, 'compress' | 'keepAlive' | 'conditional'>;
interface Fresh {
  comp: Composition;
  dir: string;
}

async function fresh(platformUrl: string, tuning: Tuning = {}): Promise<Fresh> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-wan-'));
  const platform = createFhirPlatform({ baseUrl: platformUrl, ...tuning });
  const comp = await composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, platform });
  // As at start-up: the followed list is known (it holds the INS → Patient id mapping).
  await comp.core.handlers['patient.list']({});
  return { comp, dir };
}

async function dispose(f: Fresh | null): Promise<void> {
  if (!f) return;
  // Let a running back-fill end before the store closes.
  const { journal } = f.comp.core;
  for (const id of [BENCH_PATIENT_500.id, BENCH_PATIENT_10K.id]) if (journal.isBackfilling(id)) await journal.sync(id).catch(() => undefined);
  await f.comp.close();
  rmSync(f.dir, { recursive: true, force: true });
}

const contextOf = (p: Patient): LaunchContext => ({
  ins: p.ins!,
  birthName: p.birthName,
  firstNames: p.firstNames,
  birthDate: p.birthDate,
  sex: p.sex,
});

/** Open uncached (fresh store each time) up to the first page in hand. `progressive: false` = before issue 17. */
async function firstPaintUncached(url: string, context: LaunchContext, n: number, options: { progressive?: boolean; tuning?: Tuning } = {}) {
  let current: Fresh | null = null;
  const samples = await measure(
    n,
    async () => {
      const { core } = current!.comp;
      if (options.progressive === false) {
        // Before: resolve the INS, then the whole journal, then the first page from the store.
        const p = await createFhirPlatform({ baseUrl: url, ...options.tuning }).findPatientByIns(context.ins!);
        await core.journal.sync(p!.id);
        core.journal.page(p!.id, undefined);
        return;
      }
      const opened = await core.openPatient(context, 'bench');
      await core.journal.pageOnDemand(opened.patient.id, undefined);
    },
    1,
    async () => {
      await dispose(current);
      current = await fresh(url, options.tuning);
    },
  );
  await dispose(current);
  return samples;
}

async function cachedOpen(url: string, context: LaunchContext, patientId: string, n: number) {
  const f = await fresh(url);
  await f.comp.core.journal.sync(patientId);
  const samples = await measure(
    n,
    async () => {
      const opened = await f.comp.core.openPatient(context, 'bench');
      f.comp.core.journal.page(opened.patient.id, undefined);
    },
    2,
    () => f.comp.core.journal.sync(patientId).then(() => undefined),
  );
  await f.comp.core.journal.sync(patientId);
  await dispose(f);
  return samples;
}

/** Launch to every panel filled (journal first page and patient.panels both answered). */
async function panelsReady(url: string, context: LaunchContext, patientId: string, n: number) {
  const f = await fresh(url);
  await f.comp.core.journal.sync(patientId);
  const samples = await measure(
    n,
    async () => {
      const opened = await f.comp.core.openPatient(context, 'bench');
      // The window asks both as soon as patient-changed arrives.
      await Promise.all([f.comp.core.journal.pageOnDemand(opened.patient.id, undefined), f.comp.core.handlers['patient.panels']({ patientId: opened.patient.id })]);
    },
    2,
    () => f.comp.core.journal.sync(patientId).then(() => undefined),
  );
  await f.comp.core.journal.sync(patientId);
  await dispose(f);
  return samples;
}

/**
 * What the platform holds for the 10k patient (other benchmarks of the same run post notes to it
 * first), counted once per `benchWan`: nothing here writes to that journal, and each full count is
 * 20 pages.
 */
let expected10k: Promise<number> | null = null;

async function fullSync(url: string, n: number, tuning: Tuning = {}, sync: SyncTuning = DEFAULT_SYNC_TUNING) {
  expected10k ??= countPlatformEntries(createFhirPlatform({ baseUrl: url }), BENCH_PATIENT_10K.id);
  const expected = await expected10k;
  if (expected < BENCH_PATIENT_10K.entries) throw new Error(`10k patient: ${expected} entries on the platform`);
  let current: Fresh | null = null;
  const samples = await measure(
    n,
    async () => {
      current!.comp.core.journal.syncTuning = { ...sync };
      await current!.comp.core.journal.sync(BENCH_PATIENT_10K.id);
      const stored = current!.comp.store.countEntries(BENCH_PATIENT_10K.id);
      if (stored !== expected) throw new Error(`10k sync: ${stored} entries stored, ${expected} on the platform`);
    },
    0,
    async () => {
      await dispose(current);
      current = await fresh(url, tuning);
    },
  );
  await dispose(current);
  return samples;
}

/**
 * The panels asked again for an open patient (the window's « Actualiser », a sync landing): time
 * and bytes carried down the line, with and without conditional searches.
 */
async function panelsAgain(url: string, wan: WanProxy, context: LaunchContext, n: number, tuning: Tuning = {}) {
  const f = await fresh(url, tuning);
  const opened = await f.comp.core.openPatient(context, 'bench');
  const bytes: number[] = [];
  const ask = () => f.comp.core.handlers['patient.panels']({ patientId: opened.patient.id });
  const samples = await measure(n, async () => {
    const before = wan.bytes.down;
    await ask();
    bytes.push((wan.bytes.down - before) / 1024);
  });
  await dispose(f);
  return { samples, bytes: bytes.slice(-n) };
}

/** The pre-issue-17 sync: one newest-first sequence of 500-entry pages with the authors included. */
const SEQUENTIAL_500: SyncTuning = { windows: 1, pageSize: 500, includeAuthors: true };

export interface WanBenchOptions {
  delayMs?: number;
  bitsPerSecond?: number;
  n?: number;
  syncRuns?: number;
  /** Also measure each optimisation turned off (before/after in one run). */
  before?: boolean;
  /** Only the sync and conditional-request rows (with their twins). */
  syncOnly?: boolean;
}

export async function benchWan(sandbox: Sandbox, options: WanBenchOptions = {}): Promise<BenchResult[]> {
  const n = options.n ?? 12;
  const syncRuns = options.syncRuns ?? 3;
  expected10k = null;
  const wan: WanProxy = await startWanProxy({
    targetPort: sandbox.port,
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
    ...(options.bitsPerSecond !== undefined ? { bitsPerSecond: options.bitsPerSecond } : {}),
  });
  const wanUrl = wan.url(sandbox.url);
  const lanUrl = sandbox.url;
  const line = `WAN proxy: ${options.delayMs ?? 20} ms each way, ${(options.bitsPerSecond ?? 20e6) / 1e6} Mbit/s`;
  try {
    const platform = createFhirPlatform({ baseUrl: lanUrl });
    const p500 = contextOf(await platform.getPatient(BENCH_PATIENT_500.id));
    const p10k = contextOf(await platform.getPatient(BENCH_PATIENT_10K.id));
    const rows: BenchResult[] = [];
    const pair = (name: string, lan: number[], wanSamples: number[], note: string, goal: string) => {
      rows.push(summarise(`lan-${name}`, lan, { note: `0 ms twin of wan-${name}` }));
      rows.push(summarise(`wan-${name}`, wanSamples, { baseline: `lan-${name}`, note: `${line}; ${note}; goal ${goal}` }));
    };

    if (options.syncOnly) {
      await syncRows(rows, pair, lanUrl, wanUrl, wan, p500, syncRuns, line, options.before ?? true);
      return rows;
    }
    pair('first-paint-500-uncached', await firstPaintUncached(lanUrl, p500, n), await firstPaintUncached(wanUrl, p500, n), 'progressive open, launch to first page in the core', 'p95 ≤ 250 ms');
    pair('first-paint-10k-uncached', await firstPaintUncached(lanUrl, p10k, n), await firstPaintUncached(wanUrl, p10k, n), 'progressive open, launch to first page in the core', 'p95 ≤ 250 ms');
    pair('launch-to-paint-cached', await cachedOpen(lanUrl, p500, BENCH_PATIENT_500.id, n), await cachedOpen(wanUrl, p500, BENCH_PATIENT_500.id, n), 'store answers, revalidation after', 'p95 ≤ 50 ms');
    pair('panels-ready', await panelsReady(lanUrl, p500, BENCH_PATIENT_500.id, n), await panelsReady(wanUrl, p500, BENCH_PATIENT_500.id, n), 'launch to first journal page and every panel', 'p95 ≤ 300 ms');
    await syncRows(rows, pair, lanUrl, wanUrl, wan, p500, syncRuns, line, false);

    if (options.before) {
      const b = (name: string, samples: number[], after: string, note: string) =>
        rows.push(summarise(`wan-before-${name}`, samples, { baseline: after, note: `${line}; ${note}` }));
      b('first-paint-500-full-sync', await firstPaintUncached(wanUrl, p500, Math.min(n, 6), { progressive: false }), 'wan-first-paint-500-uncached', 'before progressive open: INS, whole journal, then first page');
      b('first-paint-10k-full-sync', await firstPaintUncached(wanUrl, p10k, 3, { progressive: false }), 'wan-first-paint-10k-uncached', 'before progressive open: INS, whole journal, then first page');
      await syncBefore(rows, wanUrl, wan, p500, syncRuns, line);
      b('sync-10k-no-gzip', await fullSync(wanUrl, syncRuns, { compress: false }), 'wan-sync-10k-full', 'same sync without gzip');
      b('sync-10k-no-keepalive', await fullSync(wanUrl, syncRuns, { keepAlive: false }), 'wan-sync-10k-full', 'same sync, a new connection per request');
    }
    return rows;
  } finally {
    await wan.close();
  }
}

type Pair = (name: string, lan: number[], wanSamples: number[], note: string, goal: string) => void;

/** Items 3 and 4 of issue 17: the 10k full sync and the panels asked again. */
async function syncRows(rows: BenchResult[], pair: Pair, lanUrl: string, wanUrl: string, wan: WanProxy, p500: LaunchContext, syncRuns: number, line: string, before: boolean) {
  const w = DEFAULT_SYNC_TUNING;
  pair(
    'sync-10k-full',
    await fullSync(lanUrl, syncRuns),
    await fullSync(wanUrl, syncRuns),
    `${w.windows} concurrent date windows, ${w.pageSize} per page, authors batched, gzip, keep-alive`,
    'median ≤ 3000 ms',
  );
  const again = await panelsAgain(wanUrl, wan, p500, 12);
  rows.push(summarise('wan-panels-again', again.samples, { note: `${line}; panels asked again for the open patient, conditional searches (304)` }));
  rows.push({ ...summarise('wan-panels-again-bytes', again.bytes, { note: `${line}; bytes down the line for the panels asked again, conditional searches` }), unit: 'KB' });
  if (before) await syncBefore(rows, wanUrl, wan, p500, syncRuns, line);
}

async function syncBefore(rows: BenchResult[], wanUrl: string, wan: WanProxy, p500: LaunchContext, syncRuns: number, line: string) {
  const b = (name: string, samples: number[], after: string, note: string, unit: BenchResult['unit'] = 'ms') =>
    rows.push({ ...summarise(`wan-before-${name}`, samples, { baseline: after, note: `${line}; ${note}` }), unit });
  b('sync-10k-sequential-500', await fullSync(wanUrl, syncRuns, {}, SEQUENTIAL_500), 'wan-sync-10k-full', 'before: one sequence of 500-entry pages, authors _included');
  b(
    'sync-10k-sequential-1000',
    await fullSync(wanUrl, syncRuns, {}, { ...DEFAULT_SYNC_TUNING, windows: 1 }),
    'wan-sync-10k-full',
    'one sequence of 1000-entry pages, authors batched (windows off)',
  );
  const plain = await panelsAgain(wanUrl, wan, p500, 12, { conditional: false });
  b('panels-again-no-etag', plain.samples, 'wan-panels-again', 'panels asked again without If-None-Match');
  b('panels-again-bytes-no-etag', plain.bytes, 'wan-panels-again-bytes', 'bytes down for the panels asked again without If-None-Match', 'KB');
}

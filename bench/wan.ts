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
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import type { Sandbox } from '../sandbox/server';
import { startWanProxy, type WanProxy } from '../test/support/wan-proxy';
import { measure, summarise, type BenchResult } from './harness';

type Tuning = Pick<FhirPlatformOptions, 'compress' | 'keepAlive'>;
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

async function fullSync(url: string, n: number, tuning: Tuning = {}) {
  let current: Fresh | null = null;
  const samples = await measure(
    n,
    async () => {
      await current!.comp.core.journal.sync(BENCH_PATIENT_10K.id);
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

export interface WanBenchOptions {
  delayMs?: number;
  bitsPerSecond?: number;
  n?: number;
  syncRuns?: number;
  /** Also measure each optimisation turned off (before/after in one run). */
  before?: boolean;
}

export async function benchWan(sandbox: Sandbox, options: WanBenchOptions = {}): Promise<BenchResult[]> {
  const n = options.n ?? 12;
  const syncRuns = options.syncRuns ?? 3;
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

    pair('first-paint-500-uncached', await firstPaintUncached(lanUrl, p500, n), await firstPaintUncached(wanUrl, p500, n), 'progressive open, launch to first page in the core', 'p95 ≤ 250 ms');
    pair('first-paint-10k-uncached', await firstPaintUncached(lanUrl, p10k, n), await firstPaintUncached(wanUrl, p10k, n), 'progressive open, launch to first page in the core', 'p95 ≤ 250 ms');
    pair('launch-to-paint-cached', await cachedOpen(lanUrl, p500, BENCH_PATIENT_500.id, n), await cachedOpen(wanUrl, p500, BENCH_PATIENT_500.id, n), 'store answers, revalidation after', 'p95 ≤ 50 ms');
    pair('panels-ready', await panelsReady(lanUrl, p500, BENCH_PATIENT_500.id, n), await panelsReady(wanUrl, p500, BENCH_PATIENT_500.id, n), 'launch to first journal page and every panel', 'p95 ≤ 300 ms');
    pair('sync-10k-full', await fullSync(lanUrl, syncRuns), await fullSync(wanUrl, syncRuns), '500 per page, gzip, keep-alive', 'median ≤ 3000 ms');

    if (options.before) {
      const b = (name: string, samples: number[], after: string, note: string) =>
        rows.push(summarise(`wan-before-${name}`, samples, { baseline: after, note: `${line}; ${note}` }));
      b('first-paint-500-full-sync', await firstPaintUncached(wanUrl, p500, Math.min(n, 6), { progressive: false }), 'wan-first-paint-500-uncached', 'before progressive open: INS, whole journal, then first page');
      b('first-paint-10k-full-sync', await firstPaintUncached(wanUrl, p10k, 3, { progressive: false }), 'wan-first-paint-10k-uncached', 'before progressive open: INS, whole journal, then first page');
      b('sync-10k-no-gzip', await fullSync(wanUrl, syncRuns, { compress: false }), 'wan-sync-10k-full', 'same sync without gzip');
      b('sync-10k-no-keepalive', await fullSync(wanUrl, syncRuns, { keepAlive: false }), 'wan-sync-10k-full', 'same sync, a new connection per request');
    }
    return rows;
  } finally {
    await wan.close();
  }
}

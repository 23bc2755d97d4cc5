import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCore, type Composition } from '../main/compose';
import type { LaunchContext } from '../contract';
import { createFhirPlatform } from '../main/platform/fhir/index';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import { measure, summarise, type BenchResult } from './harness';

async function fresh(platformUrl: string): Promise<{ comp: Composition; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
  return { comp: await composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true }), dir };
}

/**
 * Opening the 500-entry journal up to the first page the window paints:
 * uncached (empty store: resolve INS + full sync + page) versus cached (store answers, the
 * revalidation runs after the paint and is awaited outside the timed section).
 */
export async function benchJournalOpen(platformUrl: string, n = 20): Promise<BenchResult[]> {
  const patient = await createFhirPlatform({ baseUrl: platformUrl }).getPatient(BENCH_PATIENT_500.id);
  const context: LaunchContext = {
    ins: patient.ins!,
    birthName: patient.birthName,
    firstNames: patient.firstNames,
    birthDate: patient.birthDate,
    sex: patient.sex,
  };

  let current: { comp: Composition; dir: string } | null = null;
  const uncached = await measure(
    n,
    async () => {
      const { core } = current!.comp;
      const opened = await core.openPatient(context, 'bench');
      core.journal.page(opened.patient.id, undefined);
    },
    2,
    async () => {
      if (current) {
        await current.comp.close();
        rmSync(current.dir, { recursive: true, force: true });
      }
      current = await fresh(platformUrl);
    },
  );

  const warm = current!;
  await warm.comp.core.journal.sync(BENCH_PATIENT_500.id);
  const cached = await measure(
    n,
    async () => {
      const opened = await warm.comp.core.openPatient(context, 'bench');
      warm.comp.core.journal.page(opened.patient.id, undefined);
    },
    2,
    // Let the previous background revalidation finish so runs do not overlap.
    () => warm.comp.core.journal.sync(BENCH_PATIENT_500.id).then(() => undefined),
  );
  await warm.comp.close();
  rmSync(warm.dir, { recursive: true, force: true });

  return [
    summarise('journal-open-500-uncached', uncached, { note: 'empty store: INS lookup + full sync + first page' }),
    summarise('journal-open-500-cached', cached, { baseline: 'journal-open-500-uncached', note: 'store answers; revalidation after paint' }),
  ];
}

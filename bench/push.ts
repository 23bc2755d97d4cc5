/**
 * Push (issue 17 item 7): how long a colleague's post takes to reach the store through the
 * subscription, against its baseline in the same run — the same post found by one polling pass
 * started right after it (the best polling can do; on average it also waits half an interval).
 * Run alone: `npx tsx bench/push.ts` (prints the rows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCore, type Composition } from '../main/compose';
import { createFhirPlatform } from '../main/platform/fhir/index';
import type { Platform } from '../main/platform/port';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { postNoteOnPlatform } from '../test/support/platform-writes';
import { summarise, withRatios, writeResults, type BenchResult } from './harness';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
}

export async function benchPush(sandbox: Sandbox, n = 20): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-push-'));
  const platform = createFhirPlatform({ baseUrl: sandbox.url });
  const light: Platform = { ...platform, listPatientsFollowedBy: async (pro) => (await platform.listPatientsFollowedBy(pro)).filter((p) => p.id !== BENCH_PATIENT_10K.id && p.id !== BENCH_PATIENT_500.id) };
  const comp: Composition = await composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, platform: light, syncIntervalMs: 1e9, push: { heartbeatSeconds: 30 } });
  try {
    const ids = (await comp.core.handlers['patient.list']({})).map((p) => p.id);
    comp.core.background.start();
    comp.push!.start();
    await until(() => comp.push!.state === 'active');
    await comp.core.background.runOnce();
    const has = (patient: string, entry: string) => comp.store.page(patient, undefined, 500).entries.some((e) => e.id === entry);
    const pushed: number[] = [];
    const polled: number[] = [];
    for (let i = 0; i < n + 2; i++) {
      const patient = ids[i % ids.length]!;
      let t0 = performance.now();
      let entry = await postNoteOnPlatform(sandbox.url, patient, `Push ${i}`);
      await until(() => has(patient, entry));
      if (i >= 2) pushed.push(performance.now() - t0);
      // Baseline: the same kind of post, push off, one pass started at once.
      await comp.push!.stop();
      t0 = performance.now();
      entry = await postNoteOnPlatform(sandbox.url, patient, `Poll ${i}`);
      await comp.core.background.runOnce();
      if (!has(patient, entry)) throw new Error('the pass missed the post');
      if (i >= 2) polled.push(performance.now() - t0);
      comp.push!.start();
      await until(() => comp.push!.state === 'active');
      await comp.core.background.runOnce(); // the handshake's catch-up pass, out of the next sample
    }
    return [
      summarise('poll-post-to-stored', polled, { note: 'post, then one polling pass at once (22 followed patients)' }),
      summarise('push-post-to-stored', pushed, { baseline: 'poll-post-to-stored', note: 'post → websocket notification → sync of that patient (no pass)' }),
    ];
  } finally {
    await comp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sandbox = await startSandbox({ port: 0, seed: 1 });
  try {
    const rows = withRatios(await benchPush(sandbox));
    writeResults(join(tmpdir(), 'relais-bench-push.json'), rows);
  } finally {
    await sandbox.close();
  }
}

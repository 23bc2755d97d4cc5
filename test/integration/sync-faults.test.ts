import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { composeCore, type Composition } from '../../main/compose';
import type { JournalBatch, JournalFetchOptions, Platform } from '../../main/platform/port';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { platformEntryIds, postNoteOnPlatform } from '../support/platform-writes';
import { DEFAULT_SYNC_TUNING, PLATFORM_PAGE_SIZE } from '../../main/features/journal/journal-service';
import { decodeWindows } from '../../main/features/journal/sync-windows';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dirs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function compose(platform?: Platform): Promise<Composition> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-sync-'));
  dirs.push(dir);
  return composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, ...(platform ? { platform } : {}) });
}

function storedIds(comp: Composition, patientId: string): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = comp.store.page(patientId, cursor, 500);
    ids.push(...page.entries.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/**
 * A pass that meets a fault before any sync (the followed list, the batched change question)
 * ends « offline » and BackgroundSync schedules another one (its reconnect backoff): do the same.
 */
async function passUntilNotOffline(comp: Composition): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await comp.core.background.runOnce();
    if (comp.core.background.status.state !== 'offline') return;
  }
}

function expectSameSet(stored: string[], onPlatform: string[]): void {
  expect(stored.length).toBe(new Set(stored).size); // no duplicate
  expect([...stored].sort()).toEqual([...onPlatform].sort()); // none missing, none extra
}

describe('sync under injected faults (10% 503 + 10% dropped connections)', () => {
  it('leaves the store holding exactly the platform entries, full then incremental', async () => {
    const comp = await compose();
    const patients = (await comp.core.handlers['patient.list']({})).map((p) => p.id).filter((id) => id !== BENCH_PATIENT_10K.id);
    sandbox.setFaults({ errorRate: 0.1, dropRate: 0.1 });
    try {
      await passUntilNotOffline(comp);
      expect(comp.core.background.status).toMatchObject({ state: 'idle', done: patients.length + 1 });
      // New notes from the care team while Relais is running, then an incremental pass.
      sandbox.setFaults({});
      const added = [
        await postNoteOnPlatform(sandbox.url, BENCH_PATIENT_500.id, 'Passage IDE : constantes stables.'),
        await postNoteOnPlatform(sandbox.url, BENCH_PATIENT_500.id, 'Kiné : marche avec déambulateur 20 m.', 'role-dupouy'),
      ];
      sandbox.setFaults({ errorRate: 0.1, dropRate: 0.1 });
      await passUntilNotOffline(comp);
      sandbox.setFaults({});
      for (const id of [...patients, BENCH_PATIENT_10K.id]) {
        expectSameSet(storedIds(comp, id), await platformEntryIds(sandbox.url, id));
      }
      const unread = comp.store.page(BENCH_PATIENT_500.id, undefined, 50, { unreadOnly: true }).entries.map((e) => e.id);
      expect(unread.sort()).toEqual([...added].sort());
    } finally {
      sandbox.setFaults({});
      await comp.close();
    }
  }, 120_000);

  it('resumes an interrupted windowed sync where each window stopped', async () => {
    const real = createFhirPlatform({ baseUrl: sandbox.url });
    const seen: JournalFetchOptions[] = [];
    let failAfter = 3;
    // The platform as seen through a connection that dies for good after three pages: the newest
    // page and the oldest-entry probe (the plan), then one page of one window.
    const flaky: Platform = {
      ...real,
      baseUrl: real.baseUrl,
      fetchJournal(patientId, options) {
        seen.push({ ...options });
        return {
          async *[Symbol.asyncIterator](): AsyncGenerator<JournalBatch> {
            for await (const batch of real.fetchJournal(patientId, options)) {
              if (failAfter-- <= 0) throw new RelaisError('FORBIDDEN', 'connection closed for good');
              yield batch;
            }
          },
        };
      },
    };
    const comp = await compose(flaky);
    try {
      await expect(comp.core.journal.sync(BENCH_PATIENT_10K.id)).rejects.toThrow(/for good/);
      const stored = comp.store.countEntries(BENCH_PATIENT_10K.id);
      // The newest page and one window's page (the newest window re-reads the entries sharing the
      // newest page's oldest date, stored once).
      expect(stored).toBeGreaterThan(PLATFORM_PAGE_SIZE);
      expect(stored).toBeLessThanOrEqual(2 * PLATFORM_PAGE_SIZE);
      const progress = comp.store.getSyncProgress(BENCH_PATIENT_10K.id);
      const windows = decodeWindows(progress?.resumeUrl);
      expect(windows?.length).toBe(DEFAULT_SYNC_TUNING.windows);
      // Exactly one window got a page: it resumes from its `next` link, the others from their dates.
      const started = windows!.filter((w) => w.resumeUrl);
      expect(started).toHaveLength(1);
      expect(started[0]!.resumeUrl).toMatch(/DocumentReference/);
      seen.length = 0;
      failAfter = Infinity;
      await comp.core.journal.sync(BENCH_PATIENT_10K.id);
      expect(seen.filter((o) => o.resumeFrom).map((o) => o.resumeFrom)).toEqual([started[0]!.resumeUrl]);
      expect(seen.filter((o) => !o.resumeFrom)).toHaveLength(DEFAULT_SYNC_TUNING.windows - 1);
      expect(seen.every((o) => o.dates !== undefined)).toBe(true);
      expect(comp.store.getSyncProgress(BENCH_PATIENT_10K.id)).toBeNull();
      expectSameSet(storedIds(comp, BENCH_PATIENT_10K.id), await platformEntryIds(sandbox.url, BENCH_PATIENT_10K.id));
    } finally {
      await comp.close();
    }
  }, 120_000);
});

/**
 * Issue 17 item 7: at steady state a pass asks the platform once per 100 followed patients which
 * journals changed, and syncs only those; the progressive open's back-fill ends with a complete
 * store. Against the real sandbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelaisEvent } from '../../contract';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import type { Platform } from '../../main/platform/port';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { platformEntryIds, postNoteOnPlatform } from '../support/platform-writes';

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
  const dir = mkdtempSync(join(tmpdir(), 'relais-steady-'));
  dirs.push(dir);
  return composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, ...(platform ? { platform } : {}) });
}

describe('steady state: batched change polling', () => {
  it('syncs only the followed patients whose journal changed, with one question for all of them', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    let fetches = 0;
    let asks = 0;
    const counting: Platform = {
      ...platform,
      fetchJournal: (id, o) => {
        fetches++;
        return platform.fetchJournal(id, o);
      },
      // The 10,000-entry patient aside: its first sync would be most of this test's time.
      listPatientsFollowedBy: async (pro) => (await platform.listPatientsFollowedBy(pro)).filter((p) => p.id !== BENCH_PATIENT_10K.id),
      // The steady-state question (journals and alerts in one batch per 100 patients).
      changesAmong: (question) => {
        asks++;
        return platform.changesAmong!(question);
      },
    };
    const comp = await compose(counting);
    try {
      const ids = (await comp.core.handlers['patient.list']({})).map((p) => p.id).filter((id) => id !== BENCH_PATIENT_10K.id);
      expect(ids.length).toBeGreaterThan(5);
      for (const id of ids) await comp.core.journal.sync(id);
      expect(await comp.core.journal.needingSync(ids)).toEqual([]);

      const changed = ids[3]!;
      await postNoteOnPlatform(sandbox.url, changed, 'Passage infirmier : pansement refait.');
      fetches = 0;
      asks = 0;
      await comp.core.background.runOnce();
      expect(asks).toBe(1);
      expect(fetches).toBe(1);
      expect(comp.store.page(changed, undefined, 500).entries.map((e) => e.id).sort()).toEqual((await platformEntryIds(sandbox.url, changed)).sort());
    } finally {
      await comp.close();
    }
  });
});

describe('progressive open', () => {
  it('stores the newest page first, back-fills with progress events, and ends with every entry', async () => {
    const comp = await compose();
    try {
      const events: RelaisEvent[] = [];
      comp.core.events.subscribe((e) => events.push(e));
      const list = await comp.core.handlers['patient.list']({});
      const p = list.find((x) => x.id === BENCH_PATIENT_500.id)!;
      const opened = await comp.core.openPatient({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex }, 'test');
      expect(opened.cached).toBe(false);
      // Answered before the back-fill: only the newest page is stored, the journal is paintable.
      expect(comp.store.countEntries(p.id)).toBe(100);
      expect(comp.core.journal.isBackfilling(p.id)).toBe(true);
      // Scrolling past what is stored waits for the back-fill's next page rather than ending.
      let cursor: string | undefined;
      const seen: string[] = [];
      do {
        const page = await comp.core.journal.pageOnDemand(p.id, cursor, 100);
        seen.push(...page.entries.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      await comp.core.journal.sync(p.id);
      const onPlatform = await platformEntryIds(sandbox.url, p.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort()).toEqual(onPlatform.sort());
      const progress = events.filter((e) => e.type === 'journal-backfill' && e.patientId === p.id);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ done: true, stored: onPlatform.length, total: onPlatform.length });
      expect(comp.core.journal.hasCache(p.id)).toBe(true);
    } finally {
      await comp.close();
    }
  });
});

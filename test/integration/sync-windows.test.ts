/**
 * Issue 17 items 3 and 4 against the real sandbox: a first sync in concurrent date windows loses
 * and doubles nothing where many entries share the timestamp a window boundary falls on, the
 * journal read while it runs has no gap, and searches asked again are answered 304 and reused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Practitioner } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import type { JournalBatch, Platform } from '../../main/platform/port';
import { planWindows } from '../../main/features/journal/sync-windows';
import { BENCH_PATIENT_500, DEMO_GP_ID, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { platformEntryIds, postNoteOnPlatform } from '../support/platform-writes';
import { startWanProxy } from '../support/wan-proxy';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dirs: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function compose(platform?: Platform, platformUrl = sandbox.url): Promise<Composition> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-windows-'));
  dirs.push(dir);
  return composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, ...(platform ? { platform } : {}) });
}

/** A journal note dated `date`, posted over FHIR as another professional's software would. */
const postAt = (patientId: string, date: string, text: string) => postNoteOnPlatform(sandbox.url, patientId, text, 'role-lamothe', date);

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

/**
 * A patient whose journal spans exactly four days, so that with 4 windows the boundaries fall on
 * T0 + 1, 2 and 3 days — where 3, 20 and 4 entries share one timestamp; 10 more share the newest.
 */
async function patientWithTies(): Promise<{ id: string; count: number }> {
  const patient = await sandbox.repo.createResource({ resourceType: 'Patient', name: [{ family: 'EGALITE', given: ['Jeanne'] }] });
  const groups: [number, number][] = [
    [T0, 6],
    [T0 + DAY, 3],
    [T0 + 2 * DAY, 20],
    [T0 + 3 * DAY, 4],
    [T0 + 4 * DAY, 10],
  ];
  let n = 0;
  for (const [ms, count] of groups) for (let i = 0; i < count; i++) await postAt(patient.id, at(ms), `Note ${++n}`);
  return { id: patient.id, count: n };
}

const TIES_TUNING = { windows: 4, pageSize: 5, includeAuthors: false };

describe('windowed first sync', () => {
  it('puts the window boundaries where the tied entries are (the case this test builds)', () => {
    const windows = planWindows(at(T0), at(T0 + 4 * DAY), 4);
    expect(windows.map((w) => [w.from, w.before, w.upTo])).toEqual([
      [at(T0 + 3 * DAY), undefined, at(T0 + 4 * DAY)],
      [at(T0 + 2 * DAY), at(T0 + 3 * DAY), undefined],
      [at(T0 + DAY), at(T0 + 2 * DAY), undefined],
      [undefined, at(T0 + DAY), undefined],
    ]);
  });

  it('stores exactly the platform entries, each written once, with ties on every boundary and across pages', async () => {
    const { id, count } = await patientWithTies();
    const comp = await compose();
    try {
      comp.core.journal.syncTuning = { ...TIES_TUNING };
      const written = await comp.core.journal.sync(id);
      const onPlatform = await platformEntryIds(sandbox.url, id);
      expect(onPlatform).toHaveLength(count);
      // Re-read rows (the newest window starts at the newest page's last date) are not rewritten.
      expect(written).toBe(count);
      const stored = comp.store.page(id, undefined, 500).entries.map((e) => e.id);
      expect(stored.sort()).toEqual([...onPlatform].sort());
      expect(comp.store.getSyncProgress(id)).toBeNull();
      expect(comp.core.journal.hasCache(id)).toBe(true);
    } finally {
      await comp.close();
    }
  }, 60_000);

  it('lets the journal be scrolled during the back-fill without a gap while older windows land first', async () => {
    const { id, count } = await patientWithTies();
    const real = createFhirPlatform({ baseUrl: sandbox.url });
    let releaseNewest!: () => void;
    const newestHeld = new Promise<void>((r) => (releaseNewest = r));
    // The newest window's pages wait until every other window has stored its entries.
    const slowNewest: Platform = {
      ...real,
      fetchJournal(patientId, options) {
        return {
          async *[Symbol.asyncIterator](): AsyncGenerator<JournalBatch> {
            for await (const batch of real.fetchJournal(patientId, options)) {
              if (options?.dates?.upTo) await newestHeld;
              yield batch;
            }
          },
        };
      },
    };
    const comp = await compose(slowNewest);
    try {
      comp.core.journal.syncTuning = { ...TIES_TUNING };
      const events: { stored: number; done: boolean }[] = [];
      comp.core.events.subscribe((e) => {
        if (e.type === 'journal-backfill' && e.patientId === id) events.push({ stored: e.stored, done: e.done });
      });
      const sync = comp.core.journal.sync(id);
      // The three older windows stored (all but the newest window's 14, of which the newest page holds 5).
      while (comp.store.countEntries(id) < count - 9) await new Promise((r) => setTimeout(r, 20));
      // Asked while the newest window is held: the store holds older entries, but they are not
      // shown above the missing ones; the page waits for the newest window instead.
      const firstAsked = comp.core.journal.pageOnDemand(id, undefined, 4);
      setTimeout(releaseNewest, 100);
      const first = await firstAsked;
      expect(first.entries.length).toBeGreaterThan(0);
      const seen: string[] = first.entries.map((e) => e.id);
      let cursor = first.nextCursor ?? undefined;
      while (cursor) {
        const page = await comp.core.journal.pageOnDemand(id, cursor, 4);
        seen.push(...page.entries.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      }
      await sync;
      const onPlatform = await platformEntryIds(sandbox.url, id);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...onPlatform].sort());
      // Progress: counts only grow, the last one is done with every entry.
      expect(events.map((e) => e.stored)).toEqual([...events.map((e) => e.stored)].sort((a, b) => a - b));
      expect(events.at(-1)).toEqual({ stored: count, done: true });
    } finally {
      releaseNewest();
      await comp.close();
    }
  }, 60_000);
});

describe('conditional requests', () => {
  it('asks panels again with If-None-Match: 304, no body, the same answer', async () => {
    const wan = await startWanProxy({ targetPort: sandbox.port, delayMs: 0, bitsPerSecond: 1e9 });
    try {
      const url = wan.url(sandbox.url);
      const comp = await compose(createFhirPlatform({ baseUrl: url }), url);
      try {
        const p = (await comp.core.handlers['patient.list']({})).find((x) => x.id === BENCH_PATIENT_500.id)!;
        await comp.core.openPatient({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex }, 'test');
        const ask = async () => {
          const before = wan.bytes.down;
          const panels = await comp.core.handlers['patient.panels']({ patientId: BENCH_PATIENT_500.id });
          return { panels, bytes: wan.bytes.down - before };
        };
        const first = await ask();
        const second = await ask();
        expect({ ...second.panels, fetchedAt: null }).toEqual({ ...first.panels, fetchedAt: null });
        // Headers only: each search answers 304 without its body.
        expect(second.bytes).toBeLessThan(first.bytes / 2);
      } finally {
        await comp.close();
      }
    } finally {
      await wan.close();
    }
  }, 60_000);

  it('sees a change in directory data at once (the ETag changes with the body)', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const before = await platform.getProfessional(DEMO_GP_ID);
    expect(await platform.getProfessional(DEMO_GP_ID)).toEqual(before);
    const stored = await sandbox.repo.readResource<Practitioner>('Practitioner', DEMO_GP_ID);
    await sandbox.repo.updateResource({ ...stored, name: [{ ...stored.name![0], family: 'RENOMME' }] });
    const after = await platform.getProfessional(DEMO_GP_ID);
    expect(after).not.toEqual(before);
    expect(JSON.stringify(after)).toContain('RENOMME');
    // The sandbox itself: 304 only while the body is the same.
    const search = `${sandbox.url}/Practitioner?_id=${DEMO_GP_ID}`;
    const etag = (await fetch(search)).headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect((await fetch(search, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(search, { headers: { 'If-None-Match': 'W/"other"' } })).status).toBe(200);
  }, 60_000);
});

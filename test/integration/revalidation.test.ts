import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelaisEvent } from '../../contract';
import { composeCore } from '../../main/compose';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { postNoteOnPlatform } from '../support/platform-writes';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dir = mkdtempSync(join(tmpdir(), 'relais-revalidate-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The refresh after a cached open (issue 12): when the platform had nothing new, the event says
 * when the journal was confirmed and carries no page (the window keeps the one it painted); when
 * something landed, it carries the newest page with it.
 */
describe('journal refresh of a cached patient', () => {
  it('sends the page only when the sync stored something', async () => {
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
    try {
      const patient = (await comp.core.handlers['patient.list']({})).find((p) => p.id === BENCH_PATIENT_500.id)!;
      await comp.core.journal.sync(patient.id);
      const stored = comp.store.page(patient.id, undefined, 1).total;
      const events: RelaisEvent[] = [];
      comp.core.events.subscribe((e) => void events.push(e));
      const updated = () => events.filter((e): e is Extract<RelaisEvent, { type: 'journal-updated' }> => e.type === 'journal-updated');

      await comp.core.journal.refresh(patient);
      expect(updated()).toHaveLength(1);
      expect(updated()[0]).toMatchObject({ patientId: patient.id, entries: [], total: stored });
      expect(Date.parse(updated()[0]!.syncedAt)).not.toBeNaN();

      const id = await postNoteOnPlatform(sandbox.url, patient.id, 'IDE : pansement refait, plaie propre.');
      await comp.core.journal.refresh(patient);
      const last = updated().at(-1)!;
      expect(last.entries[0]?.id).toBe(id);
      expect(last.entries.length).toBeGreaterThan(1);
      expect(last.total).toBe(stored + 1);
    } finally {
      await comp.close();
    }
  });
});

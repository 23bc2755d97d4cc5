import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCore, type Composition } from '../main/compose';
import { createFhirPlatform } from '../main/platform/fhir/index';
import { BENCH_PATIENT_10K, DEMO_GP_RPPS } from '../sandbox/seed/index';
import type { Sandbox } from '../sandbox/server';
import { postNoteOnPlatform } from '../test/support/platform-writes';
import { measure, summarise, type BenchResult } from './harness';

/** Every journal entry of the patient over FHIR, counted (no store). */
export async function countPlatformEntries(platform: ReturnType<typeof createFhirPlatform>, patientId: string): Promise<number> {
  let count = 0;
  for await (const batch of platform.fetchJournal(patientId, { pageSize: 500 })) count += batch.entries.length;
  return count;
}

async function fresh(platformUrl: string): Promise<{ comp: Composition; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-sync-'));
  return { comp: await composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true }), dir };
}

/**
 * Sync and search of the 10,000-entry patient. Baselines measured in the same run:
 * - fetching every entry from the platform with no store (what the sync cannot beat);
 * - a LIKE scan of the stored JSON for the search.
 */
export async function benchJournalSync(sandbox: Sandbox, n = 5): Promise<BenchResult[]> {
  const id = BENCH_PATIENT_10K.id;
  const platform = createFhirPlatform({ baseUrl: sandbox.url });
  const fetchOnly = await measure(n, async () => {
    const count = await countPlatformEntries(platform, id);
    if (count !== 10_000) throw new Error(`fetched ${count}`);
  }, 1);

  let current: { comp: Composition; dir: string } | null = null;
  const fullSync = await measure(
    n,
    async () => {
      await current!.comp.core.journal.sync(id);
    },
    1,
    async () => {
      if (current) {
        await current.comp.close();
        rmSync(current.dir, { recursive: true, force: true });
      }
      current = await fresh(sandbox.url);
      await current.comp.core.handlers['patient.list']({});
    },
  );
  const warm = current!;
  const { core, store } = warm.comp;

  const incremental = await measure(
    n,
    async () => {
      await core.journal.sync(id);
    },
    1,
    async (i) => {
      for (let k = 0; k < 10; k++) await postNoteOnPlatform(sandbox.url, id, `Note de suivi ${i}-${k} : tension 13/8, pas de plainte.`);
    },
  );
  const noChange = await measure(n, async () => {
    await core.journal.sync(id);
  });

  const words = ['pansement', 'tension', 'chute', 'kiné', 'ulcère', 'INR', 'douleur', 'sortie'];
  const fts = await measure(40, (i) => {
    store.page(id, undefined, 100, { query: words[i % words.length]! });
  });
  // What a store without the FTS index would do: scan every JSON document of the patient.
  const reader = new Database(store.path, { readonly: true });
  const likeScan = reader.prepare(
    `SELECT json FROM journal_entries WHERE patient_id = ? AND json LIKE ? ORDER BY date DESC LIMIT 100`,
  );
  const likeCount = reader.prepare(`SELECT count(*) FROM journal_entries WHERE patient_id = ? AND json LIKE ?`);
  const like = await measure(40, (i) => {
    // Same work as the FTS path: the newest 100 matches and the number of results.
    const w = `%${words[i % words.length]!}%`;
    likeScan.all(id, w);
    likeCount.get(id, w);
  });
  reader.close();
  const firstPage = await measure(40, () => {
    store.page(id, undefined, 100);
  });
  await warm.comp.close();
  rmSync(warm.dir, { recursive: true, force: true });

  return [
    summarise('fetch-10k-platform-only', fetchOnly, { note: 'baseline: every entry over FHIR, no store' }),
    summarise('sync-10k-full', fullSync, { baseline: 'fetch-10k-platform-only', note: 'goal < 2000 ms' }),
    summarise('sync-10k-incremental-10-new', incremental, { baseline: 'sync-10k-full', note: 'goal < 100 ms' }),
    summarise('sync-10k-incremental-nothing-new', noChange, { baseline: 'sync-10k-full' }),
    summarise('search-like-scan-10k', like, { note: 'baseline: LIKE over stored JSON' }),
    summarise('search-fts5-10k', fts, { baseline: 'search-like-scan-10k', note: 'goal < 20 ms' }),
    summarise('store-first-page-10k', firstPage, { note: '100 newest entries from the store' }),
  ];
}

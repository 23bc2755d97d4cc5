import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBundledSource, DRUG_DB_FILE, importBdpm, openDrugCatalog } from '../main/drugs/catalog';
import { measure, summarise, type BenchResult } from './harness';

/** What a GP types, letter by letter: every prefix of these (2 letters and more) is one search. */
const TYPED = ['amoxicilline', 'paracetamol', 'doliprane', 'levothyrox', 'metformine', 'bisoprolol', 'morphine sulfate', 'atorvastatine', 'omeprazole', 'ibuprofene', 'comprime pellicule', 'sodium', 'clamoxyl 1 g', 'skenan', 'co'];

/**
 * The drug database (issue 14): importing the whole BDPM extract (parse, rules, DCI lines, FTS5,
 * temporary file renamed) and the search as the composer calls it (hits built, JSON decoded).
 * Goal: search p95 ≤ 20 ms over the whole database.
 */
export async function benchDrugDb(runs = 3): Promise<BenchResult[]> {
  const source = defaultBundledSource();
  if (!source) throw new Error('no BDPM extract (../shared/data/bdpm or RELAIS_BDPM_SOURCE)');
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-bdpm-'));
  try {
    const path = join(dir, DRUG_DB_FILE);
    const imports = await measure(runs, () => void importBdpm(source, path), 0);
    const catalog = openDrugCatalog({ dataDir: dir, bundledSource: null });
    const queries = TYPED.flatMap((w) => Array.from({ length: w.length - 1 }, (_, i) => w.slice(0, i + 2)));
    const searches = await measure(queries.length * 3, (i) => void catalog.search(queries[i % queries.length]!), queries.length);
    catalog.close();
    return [
      summarise('bdpm-import-whole-extract', imports, { note: `${source}: parse + rules + DCI lines + FTS5 into a temporary file renamed over the database` }),
      summarise('bdpm-search-as-you-type', searches, { note: `${queries.length} prefixes of ${TYPED.length} typed words, hits built; goal: p95 <= 20 ms` }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

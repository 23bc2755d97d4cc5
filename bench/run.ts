/** `npm run bench`: runs every benchmark against a fresh sandbox, prints a summary, writes bench-results.json. */
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server';
import { withRatios, writeResults, type BenchResult } from './harness';
import { benchCardRemoval } from './card-lock';
import { benchDrugDb } from './drug-db';
import { benchJournalOpen } from './journal-open';
import { benchJournalSync } from './journal-sync';
import { benchLaunchToPaint } from './launch-to-paint';
import { benchOrdonnanceSign } from './ordonnance-sign';
import { benchEmergencyFiche } from './emergency-fiche';
import { benchCliStart } from './cli-start';
import { benchMemory } from './memory';
import { benchWan } from './wan';
import { benchPush } from './push';
import { spawnSync } from 'node:child_process';

const sandbox = await startSandbox({ port: 0, seed: 1 });
const results: BenchResult[] = [];
try {
  results.push(...(await benchCardRemoval()));
  results.push(...(await benchDrugDb()));
  results.push(...(await benchJournalOpen(sandbox.url)));
  results.push(...(await benchJournalSync(sandbox)));
  results.push(...(await benchOrdonnanceSign()));
  results.push(...(await benchEmergencyFiche(sandbox.url)));
  results.push(...(await benchWan(sandbox, { before: true })));
  results.push(...(await benchMemory(sandbox.url)));
  results.push(...(await benchPush(sandbox)));
  // The browser benchmarks paint the built renderer.
  for (const script of ['build:renderer', 'build:cli']) {
    if (spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' }).status !== 0) throw new Error(`${script} failed`);
  }
  results.push(...(await benchLaunchToPaint(sandbox.url)));
  results.push(...(await benchCliStart()));
} finally {
  await sandbox.close();
}
const out = join(import.meta.dirname, '..', 'bench-results.json');
const final = withRatios(results);
writeResults(out, final);
console.log(JSON.stringify(final));

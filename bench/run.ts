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
import { benchSteadyLoad } from './steady-load';
import { benchPush } from './push';
import { spawnSync } from 'node:child_process';
import { startSandboxProcess } from './sandbox-process';

/**
 * The window's benchmarks talk to a platform in its own process, as in use (bench/sandbox-process.ts).
 * `BENCH_SANDBOX_IN_PROCESS=1`: the in-process sandbox instead, as before 2026-12-02, to compare.
 */
async function withSandboxProcess<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.BENCH_SANDBOX_IN_PROCESS === '1') return fn(sandbox.url);
  const platform = await startSandboxProcess();
  try {
    return await fn(platform.url);
  } finally {
    await platform.close();
  }
}

/**
 * `npm run bench -- --only=launch-to-paint-cached-panel[,…]`: only the rows of the launch-to-paint
 * benchmark that are asked (and their baseline row), printed and written to bench-results.only.json
 * (the full bench-results.json is left as it was).
 */
const ONLY_ROWS = ['launch-to-paint-uncached', 'launch-to-paint-cached', 'launch-to-paint-cached-panel', 'cli-launch-to-paint-cached'];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean) ?? null;
if (only && (only.length === 0 || only.some((r) => !ONLY_ROWS.includes(r)))) {
  console.error(`--only accepts: ${ONLY_ROWS.join(', ')}`);
  process.exit(2);
}

const sandbox = await startSandbox({ port: 0, seed: 1 });
const results: BenchResult[] = [];
if (only) {
  try {
    for (const script of ['build:renderer', 'build:cli']) {
      if (spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' }).status !== 0) throw new Error(`${script} failed`);
    }
    results.push(...(await withSandboxProcess((url) => benchLaunchToPaint(url, 50, 15, only))));
  } finally {
    await sandbox.close();
  }
  const final = withRatios(results);
  writeResults(join(import.meta.dirname, '..', 'bench-results.only.json'), final);
  console.log(JSON.stringify(final));
  process.exit(0);
}
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
  results.push(...(await withSandboxProcess((url) => benchLaunchToPaint(url))));
  results.push(...(await benchCliStart()));
  // Last: it adds followed patients to the sandbox (issue 17 item 7).
  results.push(...(await benchSteadyLoad(sandbox)));
} finally {
  await sandbox.close();
}
const out = join(import.meta.dirname, '..', 'bench-results.json');
const final = withRatios(results);
writeResults(out, final);
console.log(JSON.stringify(final));

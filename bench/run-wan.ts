/**
 * `npx tsx bench/run-wan.ts [--before] [--only=wan|sync|memory|steady]`: only the WAN, memory and steady-load rows (issue 17), merged into
 * bench-results.json (rows of the same name replaced, the others kept).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server';
import { withRatios, writeResults, type BenchResult } from './harness';
import { benchMemory } from './memory';
import { benchSteadyLoad } from './steady-load';
import { benchWan } from './wan';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const sandbox = await startSandbox({ port: 0, seed: 1 });
const fresh: BenchResult[] = [];
try {
  if (!only || only === 'wan') fresh.push(...(await benchWan(sandbox, { before: process.argv.includes('--before') })));
  // `--only=sync`: the 10k sync and conditional-request rows with their `wan-before-…` twins.
  if (only === 'sync') fresh.push(...(await benchWan(sandbox, { syncOnly: true })));
  if (!only || only === 'memory') fresh.push(...(await benchMemory(sandbox.url)));
  // Last: it adds followed patients to the sandbox (issue 17 item 7).
  if (!only || only === 'steady') fresh.push(...(await benchSteadyLoad(sandbox)));
} finally {
  await sandbox.close();
}
const out = join(import.meta.dirname, '..', 'bench-results.json');
const names = new Set(fresh.map((r) => r.name));
const kept = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]).filter((r) => !names.has(r.name)) : [];
writeResults(out, withRatios([...kept, ...fresh]));

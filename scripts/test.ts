/**
 * `npm test`: typecheck, lint, then every Vitest suite (unit + integration, browser end-to-end),
 * and one closing line summing them all: `N passed, N failed[, N skipped]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'test-results');
mkdirSync(outDir, { recursive: true });

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
}

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let gateFailed = false;

for (const [name, args] of [
  ['typecheck', ['run', '--silent', 'typecheck']],
  ['lint', ['run', '--silent', 'lint']],
] as const) {
  const code = run('npm', [...args]);
  console.log(`[test] ${name}: ${code === 0 ? 'ok' : 'FAILED'}`);
  if (code === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    gateFailed = true;
  }
}

const only = process.argv.slice(2);
const suites = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'e2e', config: 'vitest.e2e.config.ts' },
];
for (const suite of suites) {
  const report = join(outDir, `vitest-${suite.name}.json`);
  const code = run('npx', [
    'vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only,
  ]);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests + (json.numFailedTests === 0 && code !== 0 ? 1 : 0);
    totals.skipped += json.numPendingTests + json.numTodoTests;
  } catch {
    console.log(`[test] ${suite.name}: no report (exit ${code})`);
    totals.failed += 1;
  }
}

const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 || gateFailed ? 1 : 0);

/**
 * The log scan of issue 16, item 4: no patient name, no INS, no PIN in any technical log or
 * diagnostic written by the test runs. `collectForbidden()` lists what must never appear (every
 * seeded patient's birth and first names, their INS, the test PINs); `scanLogs(dir)` reads every
 * `relais.log*` and `relais-diagnostic*.zip` under a folder (zips unpacked with fflate).
 * Run as a step of `npm test` after the suites (scripts/test.ts) over test-results/logs/, where
 * the shell tests keep the logs their runs wrote and every e2e web host logs (test-results/logs/e2e,
 * RELAIS_LOG_DIR set by vitest.e2e.config.ts); the recorded-shell test also calls it directly.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { buildSeed } from '../../sandbox/seed/index';

export const TEST_PINS = ['1234', '4826', '73958261', '87654321'];

export function collectForbidden(): string[] {
  const out = new Set<string>();
  for (const r of buildSeed(1).resources as unknown as Array<{ resourceType: string; name?: Array<{ family?: string; given?: string[] }>; identifier?: Array<{ value?: string }> }>) {
    if (r.resourceType !== 'Patient') continue;
    for (const n of r.name ?? []) {
      if (n.family && n.family.length >= 4) out.add(n.family);
      for (const g of n.given ?? []) if (g.length >= 5) out.add(g);
    }
    for (const id of r.identifier ?? []) if (id.value && /^\d{13,15}$/.test(id.value)) out.add(id.value);
  }
  return [...out];
}

export interface ScanFinding {
  file: string;
  needle: string;
  line: string;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Word-bounded for names (a name inside another word is not a leak). Digits are bounded by any
 * letter or digit: « ab4826cd » is a piece of a hash, not a PIN, while « pin=4826 » is one.
 */
function finder(needle: string): RegExp {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^\d+$/.test(needle) ? new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`) : new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'u');
}

const LINE_HEAD = /^\S+ \S+\s+[0-9a-f]{8} /;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Counters the sync and the outbox log: « stored=1234 » is a number of entries, not a PIN. */
const COUNTER = /\b(?:stored|total|done|bytes|attempts?|candidates|discrepancies|unacknowledged)=\d+/g;

/**
 * A timestamp, a correlation id or a UUID is not a PIN: the third group of a v4 UUID always starts
 * with 4, so about one outbox id in 4,000 reads « -4826- » (it failed CI once). Nor is a counter.
 * Digit needles are searched outside them.
 */
function withoutIds(line: string): string {
  return line.replace(LINE_HEAD, '').replace(UUID, '').replace(COUNTER, '');
}

export function scanText(file: string, text: string, forbidden: readonly string[]): ScanFinding[] {
  const findings: ScanFinding[] = [];
  const lines = text.split('\n');
  const idFree = lines.map(withoutIds);
  for (const needle of [...forbidden, ...TEST_PINS]) {
    const re = finder(needle);
    const searched = /^\d+$/.test(needle) ? idFree : lines;
    const at = searched.findIndex((l) => re.test(l));
    if (at !== -1) findings.push({ file, needle, line: lines[at]!.slice(0, 200) });
  }
  return findings;
}

export function scanLogs(dir: string, forbidden: readonly string[] = collectForbidden()): { files: number; findings: ScanFinding[] } {
  let files = 0;
  const findings: ScanFinding[] = [];
  for (const file of filesUnder(dir)) {
    const name = file.split(/[\\/]/).at(-1) ?? '';
    if (/^relais\.log(\.\d+)?$/.test(name)) {
      files += 1;
      findings.push(...scanText(file, readFileSync(file, 'utf8'), forbidden));
    } else if (/^relais-diagnostic.*\.zip$/.test(name)) {
      files += 1;
      for (const [inner, bytes] of Object.entries(unzipSync(readFileSync(file)))) findings.push(...scanText(`${file}!${inner}`, strFromU8(bytes), forbidden));
    }
  }
  return { files, findings };
}

// `npx tsx test/security/log-scan.ts [dir]`: exit 1 on any finding.
if (process.argv[1]?.endsWith('log-scan.ts')) {
  const dir = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'test-results', 'logs');
  const { files, findings } = scanLogs(dir);
  for (const f of findings) console.log(`[log-scan] ${f.file}: « ${f.needle} » in ${f.line}`);
  console.log(`[log-scan] ${files} log file(s) under ${dir}, ${findings.length} finding(s)`);
  if (files === 0) console.log("[log-scan] warning: no log to scan (run the shell tests first)");
  process.exitCode = findings.length ? 1 : 0;
}

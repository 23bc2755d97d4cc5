/**
 * `npm test` gate: runs @doyensec/electronegativity on main/ and preload/ and fails on any finding
 * not listed, with its reason, in test/security/electronegativity-accepted.json (or one more of
 * a listed kind in the same file). Accepted entries no longer found are printed, not failed.
 * Exit 0 ok, 1 new findings or the tool could not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Finding {
  scan: string;
  check: string;
  file: string;
  line?: number;
}
export interface Accepted {
  scan: string;
  check: string;
  file: string;
  count: number;
  reason: string;
}

const keyOf = (f: { scan: string; check: string; file: string }) => `${f.scan} ${f.check} ${f.file}`;

/** Findings beyond what is accepted (per scan, check and file), and accepted entries not seen. */
export function compareFindings(findings: readonly Finding[], accepted: readonly Accepted[]): { unexpected: Finding[]; stale: Accepted[] } {
  const allowance = new Map(accepted.map((a) => [keyOf(a), a.count]));
  const seen = new Map<string, number>();
  const unexpected: Finding[] = [];
  for (const f of findings) {
    const k = keyOf(f);
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (n > (allowance.get(k) ?? 0)) unexpected.push(f);
  }
  return { unexpected, stale: accepted.filter((a) => !seen.has(keyOf(a))) };
}

interface Sarif {
  runs: { results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[] }[] }[];
}

export function findingsOfSarif(scan: string, sarif: Sarif): Finding[] {
  return sarif.runs.flatMap((run) =>
    run.results.map((r) => {
      const loc = r.locations?.[0]?.physicalLocation;
      return { scan, check: r.ruleId, file: loc?.artifactLocation?.uri ?? 'file:///', line: loc?.region?.startLine };
    }),
  );
}

const ELECTRON_VERSION = '41.7.1';

function main(): number {
  const root = join(import.meta.dirname, '..', '..');
  const bin = process.env.ELECTRONEGATIVITY_BIN ?? join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
  if (!existsSync(bin)) {
    console.error(`[electronegativity] not installed (${bin}): run npm install`);
    return 1;
  }
  const accepted = (JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-accepted.json'), 'utf8')) as { accepted: Accepted[] }).accepted;
  const missingReason = accepted.filter((a) => a.reason.trim().length < 20);
  if (missingReason.length > 0) {
    console.error('[electronegativity] accepted findings need a reason:', missingReason.map(keyOf));
    return 1;
  }
  const out = mkdtempSync(join(tmpdir(), 'relais-electronegativity-'));
  try {
    const findings: Finding[] = [];
    for (const scan of ['main', 'preload']) {
      const report = join(out, `${scan}.sarif`);
      // -e: the version in package.json, so the checks do not depend on a network look-up.
      const r = spawnSync(process.execPath, [bin, '-i', join(root, scan), '-r', '-e', ELECTRON_VERSION, '-o', report], { encoding: 'utf8', timeout: 180_000 });
      if (!existsSync(report)) {
        console.error(`[electronegativity] no report for ${scan} (exit ${r.status}):\n${r.stderr}`);
        return 1;
      }
      findings.push(...findingsOfSarif(scan, JSON.parse(readFileSync(report, 'utf8')) as Sarif));
    }
    const { unexpected, stale } = compareFindings(findings, accepted);
    for (const s of stale) console.log(`[electronegativity] accepted but no longer found (remove it): ${keyOf(s)}`);
    for (const f of unexpected) console.error(`[electronegativity] NEW finding: ${f.check} in ${f.scan}/${f.file}${f.line ? `:${f.line}` : ''}`);
    console.log(`[electronegativity] ${findings.length} findings, ${findings.length - unexpected.length} accepted, ${unexpected.length} new`);
    return unexpected.length === 0 ? 0 : 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exitCode = main();

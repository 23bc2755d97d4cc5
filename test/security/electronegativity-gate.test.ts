import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFindings, findingsOfSarif, type Accepted } from './electronegativity-gate';

const accepted: Accepted[] = [{ scan: 'main', check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/open-external.ts', count: 1, reason: 'x'.repeat(30) }];

describe('electronegativity gate', () => {
  it('passes accepted findings, fails a new kind, a new file, or one more of a kind', () => {
    const ok = { scan: 'main', check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/open-external.ts' };
    expect(compareFindings([ok], accepted)).toEqual({ unexpected: [], stale: [] });
    expect(compareFindings([ok, ok], accepted).unexpected).toEqual([ok]);
    const elsewhere = { ...ok, file: 'web/web-host.ts' };
    expect(compareFindings([ok, elsewhere], accepted).unexpected).toEqual([elsewhere]);
    const other = { ...ok, check: 'NODE_INTEGRATION_JS_CHECK' };
    expect(compareFindings([ok, other], accepted).unexpected).toEqual([other]);
    expect(compareFindings([], accepted).stale).toEqual(accepted);
  });

  it('reads SARIF results', () => {
    const sarif = { runs: [{ results: [{ ruleId: 'CSP_GLOBAL_CHECK', locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' }, region: { startLine: 1 } } }] }, { ruleId: 'X' }] }] };
    expect(findingsOfSarif('preload', sarif)).toEqual([
      { scan: 'preload', check: 'CSP_GLOBAL_CHECK', file: 'file:///', line: 1 },
      { scan: 'preload', check: 'X', file: 'file:///', line: undefined },
    ]);
  });

  it('every accepted finding has a reason', () => {
    const list = (JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-accepted.json'), 'utf8')) as { accepted: Accepted[] }).accepted;
    expect(list.length).toBeGreaterThan(0);
    for (const a of list) expect(a.reason.length, `${a.check} ${a.file}`).toBeGreaterThan(40);
  });
});

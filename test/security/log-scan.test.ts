import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { collectForbidden, scanLogs } from './log-scan';

describe('log scan (the check run after the suites)', () => {
  it('knows the seeded names and INS', () => {
    const forbidden = collectForbidden();
    expect(forbidden.length).toBeGreaterThan(20);
    expect(forbidden.some((f) => /^\d{15}$/.test(f))).toBe(true);
  });

  it('finds a leaked name, INS or PIN in a log or inside a diagnostic zip, and passes a clean one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-scan-'));
    try {
      const [name] = collectForbidden();
      const ins = collectForbidden().find((f) => /^\d{15}$/.test(f))!;
      writeFileSync(join(dir, 'relais.log'), '2026-12-01T04:55:30.938Z INFO  d9f6990c shell.started ok=1\n');
      expect(scanLogs(dir)).toEqual({ files: 1, findings: [] });
      // An id that happens to hold a PIN's digits is not a leak.
      writeFileSync(
        join(dir, 'relais.log'),
        '2026-12-03T09:55:32.482Z INFO  e6267ea6 outbox.queued item="0ebf39ed-1259-4826-a1f0-7cd14f51253d" kind="alert-handle"\n' +
          '2026-12-03T09:55:32.482Z INFO  e6267ea6 audit.chained hash="ab4826cd73958261ef"\n' +
          '2026-12-03T09:55:32.482Z INFO  e6267ea6 sync.page stored=1234 total=4826\n',
      );
      expect(scanLogs(dir)).toEqual({ files: 1, findings: [] });
      writeFileSync(join(dir, 'relais.log'), '2026-12-03T09:55:32.482Z INFO  e6267ea6 card.login code=73958261 item="0ebf39ed-1259-4826-a1f0-7cd14f51253d"\n');
      expect(scanLogs(dir).findings.map((f) => f.needle)).toEqual(['73958261']);
      writeFileSync(join(dir, 'relais.log'), '2026-12-01T04:55:30.938Z INFO  d9f6990c shell.started ok=1\n');
      writeFileSync(join(dir, 'relais.log.1'), `2026-12-01T04:55:30.938Z INFO  d9f6990c patient.opened name="${name}"\n`);
      writeFileSync(join(dir, 'relais-diagnostic-x.zip'), zipSync({ 'logs/relais.log': strToU8(`x ins=${ins} pin 4826\n`) }));
      const { findings } = scanLogs(dir);
      expect(findings.map((f) => f.needle).sort()).toEqual([name, ins, '4826'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

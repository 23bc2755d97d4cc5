import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API } from '../../contract';
import { createApiDispatcher } from '../api/dispatch';
import { composeCore } from '../compose';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { LocalStore } from '../store/store';
import { startSandbox } from '../../sandbox/server';
import { auditToCsv, csvField, listAudit } from './audit-trail';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('audit trail list and CSV export', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('patient.open')).toBe('patient.open');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('dit "bonjour"')).toBe('"dit ""bonjour"""');
    expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
  });

  it('lists newest first with limit and since; exports oldest first with French headers', () => {
    const store = new LocalStore(':memory:');
    store.audit('99700001011', 'patient.open', 'pat-01', 'ui');
    store.audit('99700001011', 'identity.confirmed', 'pat-02', '{"channel":"url","fields":["birthName"]}');
    store.audit('99700001011', 'settings.follow-lgc.off', null);
    expect(listAudit(store).map((r) => r.action)).toEqual(['settings.follow-lgc.off', 'identity.confirmed', 'patient.open']);
    expect(listAudit(store, { limit: 1 }).map((r) => r.action)).toEqual(['settings.follow-lgc.off']);
    expect(listAudit(store, { since: '2999-01-01' })).toEqual([]);
    expect(listAudit(store, { since: '2000-01-01' })).toHaveLength(3);

    const csv = auditToCsv(store.auditTrail());
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Date,Professionnel,Action,Patient,Détail,Empreinte');
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[^,]+,99700001011,patient\.open,pat-01,ui,[0-9a-f]{64}$/);
    expect(lines[2]).toMatch(/,identity\.confirmed,pat-02,"\{""channel"":""url"",""fields"":\[""birthName""\]\}",[0-9a-f]{64}$/);
    expect(lines[3]).toMatch(/,settings\.follow-lgc\.off,,,[0-9a-f]{64}$/);
    expect(lines[4]).toBe('');
    expect(csv.endsWith('\r\n')).toBe(true);
    store.close();
  });

  it('audit.list and audit.exportCsv through the API (the export is itself audited)', async () => {
    const sandbox = await startSandbox({ port: 0, seed: 1 });
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-audit-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true });
    try {
      const dispatch = createApiDispatcher(comp.core);
      await dispatch('settings.followLgc', { enabled: false });
      const listed = await dispatch('audit.list', { limit: 10 });
      expect(listed.ok).toBe(true);
      const records = API['audit.list'].response.parse((listed as { value: unknown }).value);
      expect(records[0]).toMatchObject({ actor: DEMO_GP_RPPS, action: 'settings.follow-lgc.off', patientId: null });
      const exported = await dispatch('audit.exportCsv', {});
      expect(exported.ok).toBe(true);
      const csv = (exported as { value: string }).value;
      expect(csv.startsWith('Date,Professionnel,Action,Patient,Détail,Empreinte\r\n')).toBe(true);
      expect(csv).toContain(`,${DEMO_GP_RPPS},settings.follow-lgc.off,,`);
      expect(csv).toContain(`,${DEMO_GP_RPPS},audit.export,,`);
      expect(await dispatch('audit.list', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await comp.close();
      await sandbox.close();
    }
  });
});

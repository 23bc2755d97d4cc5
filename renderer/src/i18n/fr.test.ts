import { describe, expect, it } from 'vitest';
import { ERROR_CODES, INS_OIDS, JOURNAL_KINDS } from '../contract';
import { errorMessage, fr } from './fr';

describe('French catalogue', () => {
  it('has a clinician message for every contract error code', () => {
    for (const code of ERROR_CODES) expect(errorMessage(code).length).toBeGreaterThan(20);
  });
  it('labels every journal kind and INS type', () => {
    for (const kind of JOURNAL_KINDS) expect(fr.journal.kinds[kind]).toBeTruthy();
    for (const oid of Object.values(INS_OIDS)) expect(fr.identity.oid[oid]).toBeTruthy();
  });
});

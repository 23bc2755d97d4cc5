import { describe, expect, it } from 'vitest';
import { ERROR_CODES, INS_OIDS, JOURNAL_KINDS } from '../contract';
import { errorMessage, errorText, fr } from './fr';

describe('French catalogue', () => {
  it('has a clinician message for every contract error code', () => {
    for (const code of ERROR_CODES) expect(errorMessage(code).length).toBeGreaterThan(20);
  });
  it('labels every journal kind and INS type', () => {
    for (const kind of JOURNAL_KINDS) expect(fr.journal.kinds[kind]).toBeTruthy();
    for (const oid of Object.values(INS_OIDS)) expect(fr.identity.oid[oid]).toBeTruthy();
  });
});

describe('errorText', () => {
  it('names a refused context file; falls back to the code text otherwise', () => {
    expect(errorText({ code: 'INVALID_INPUT', reason: 'CONTEXT_FILE_UNSAFE_PERMISSIONS', field: 'C:\\LGC\\patient.ini' })).toContain('(C:\\LGC\\patient.ini)');
    expect(errorText({ code: 'INVALID_INPUT', reason: 'CONTEXT_FILE_DUPLICATE_KEY', field: '/srv/p.json' })).toContain('deux fois');
    expect(errorText({ code: 'INVALID_INPUT', field: 'ins' })).toBe(errorMessage('INVALID_INPUT'));
    expect(errorText({ code: 'INVALID_INPUT', reason: 'OTHER', field: 'x' })).toBe(errorMessage('INVALID_INPUT'));
  });
});

describe('practitioner warning', () => {
  it('names the RPPS the practice software sent', () => {
    expect(fr.practitionerWarning.text('99700001029')).toContain('Le logiciel du cabinet indique un autre professionnel (RPPS 99700001029) que celui connecté');
  });
});

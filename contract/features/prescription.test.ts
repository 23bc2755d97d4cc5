import { describe, expect, it } from 'vitest';
import { ageInYears, emptyPrescriptionLine, validatePrescription, type PrescriptionDraftContent } from './prescription';

const line = (over: Partial<ReturnType<typeof emptyPrescriptionLine>> = {}) => ({
  ...emptyPrescriptionLine('l1'),
  medication: 'Amoxicilline 1 g, comprimé',
  posology: '1 comprimé matin et soir',
  route: 'voie orale',
  durationDays: '7',
  ...over,
});
const draft = (over: Partial<PrescriptionDraftContent> = {}): PrescriptionDraftContent => ({ lines: [line()], weightKg: '', ...over });

describe('validatePrescription', () => {
  it('parses what was typed: numbers, trimmed text, renewals defaulting to 0', () => {
    const r = validatePrescription(draft({ lines: [line({ medication: '  Paracétamol 1 g  ', packs: '2', durationDays: '', renewals: '' })] }), 70);
    expect(r).toEqual({
      ok: true,
      prescription: {
        lines: [{ medication: 'Paracétamol 1 g', posology: '1 comprimé matin et soir', route: 'voie orale', durationDays: null, packs: 2, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null }],
        weightKg: null,
      },
    });
  });

  it('reports every wrong field at once, by line', () => {
    const r = validatePrescription(
      draft({ lines: [line(), line({ key: 'l2', medication: ' ', posology: '', durationDays: 'sept', renewals: '12' }), line({ key: 'l3', durationDays: '', packs: '' })] }),
      40,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { field: 'lines.1.medication', code: 'required' },
      { field: 'lines.1.posology', code: 'required' },
      { field: 'lines.1.durationDays', code: 'not-a-number' },
      { field: 'lines.1.renewals', code: 'out-of-range' },
      { field: 'lines.2.durationDays', code: 'duration-or-packs' },
    ]);
  });

  it('refuses an ordonnance without lines, and renewals outside 0–11', () => {
    expect(validatePrescription(draft({ lines: [] }), 40)).toEqual({ ok: false, errors: [{ field: 'lines', code: 'no-lines' }] });
    expect(validatePrescription(draft({ lines: [line({ renewals: '11' })] }), 40).ok).toBe(true);
    expect(validatePrescription(draft({ lines: [line({ renewals: '-1' })] }), 40)).toMatchObject({ ok: false, errors: [{ field: 'lines.0.renewals', code: 'not-a-number' }] });
  });

  it('requires the weight for a child only, and reads a decimal comma', () => {
    expect(validatePrescription(draft(), 6)).toEqual({ ok: false, errors: [{ field: 'weightKg', code: 'weight-required' }] });
    expect(validatePrescription(draft(), 15).ok).toBe(true);
    expect(validatePrescription(draft({ weightKg: '18,5' }), 6)).toMatchObject({ ok: true, prescription: { weightKg: 18.5 } });
    expect(validatePrescription(draft({ weightKg: '1850' }), 6)).toMatchObject({ ok: false, errors: [{ field: 'weightKg', code: 'not-a-number' }] });
  });
});

describe('ageInYears', () => {
  it('counts whole years, the birthday included, and tolerates unknown month/day (00)', () => {
    expect(ageInYears('1950-03-12', '2026-03-11')).toBe(75);
    expect(ageInYears('1950-03-12', '2026-03-12')).toBe(76);
    expect(ageInYears('1950-00-00', '2026-01-01')).toBe(76);
  });
});

import { describe, expect, it } from 'vitest';
import { CONDITION_RULES, deriveDrugRules, LINE_RULES, checkLineRules, strictestRules, type RuleLine } from './drug-rules';
import { NO_RULES, type DrugRules } from './drugs';
import { emptyPrescriptionLine, validatePrescription } from './prescription';
import { posologySentence } from './posology';

const rules = (over: Partial<DrugRules> = {}): DrugRules => ({ ...NO_RULES, notices: [], ...over });
const ruleLine = (over: Partial<RuleLine> = {}): RuleLine => ({
  drug: { kind: 'speciality', rules: rules(), substances: [{ name: 'AMOXICILLINE' }] },
  durationDays: 7,
  renewals: 0,
  nonSubstitutable: false,
  nonSubstitutableReason: null,
  ...over,
});
const withRules = (r: Partial<DrugRules>, over: Partial<RuleLine> = {}) => ruleLine({ drug: { kind: 'speciality', rules: rules(r), substances: [{ name: 'X' }] }, ...over });

describe('CIS_CPD conditions → rules (one case per entry of CONDITION_RULES)', () => {
  const cases: Record<string, [string[], Partial<DrugRules>]> = {
    'liste-I': [['liste I'], { list: 'I' }],
    'liste-II': [['liste II'], { list: 'II' }],
    stupefiant: [['stupéfiants'], { narcotic: true, secure: true, maxDurationDays: 28 }],
    'toutes-lettres': [['prescription en toutes lettres sur ordonnance sécurisée'], { secure: true, narcotic: false }],
    'duree-limitee': [['prescription limitée à 4 semaines'], { maxDurationDays: 28 }],
    'delivrance-fractionnee': [['délivrance fractionnée de 7 jours'], { fractionDays: 7 }],
    hospitaliere: [['prescription hospitalière'], { refusal: 'prescription hospitalière' }],
    specialiste: [['prescription réservée aux spécialistes et services NEUROLOGIE'], { refusal: 'prescription réservée aux spécialistes et services NEUROLOGIE' }],
    surveillance: [['médicament nécessitant une surveillance particulière pendant le traitement'], { notices: ['médicament nécessitant une surveillance particulière pendant le traitement'] }],
  };
  it('covers every entry of the table', () => {
    expect(Object.keys(cases).sort()).toEqual(CONDITION_RULES.map((r) => r.id).sort());
  });
  for (const [id, [conditions, expected]] of Object.entries(cases)) {
    it(id, () => expect(deriveDrugRules(conditions, false)).toMatchObject(expected));
  }
  it('a stupéfiant with a shorter limit keeps the shorter; liste I wins over liste II; unknown wordings become notices', () => {
    expect(deriveDrugRules(['stupéfiants', 'prescription limitée à 7 jours', 'délivrance fractionnée de 7 jours'], false)).toMatchObject({ maxDurationDays: 7, fractionDays: 7 });
    expect(deriveDrugRules(['liste II', 'liste I'], false).list).toBe('I');
    expect(deriveDrugRules(['prescription initiale hospitalière annuelle', 'médicament soumis à prescription médicale'], true)).toMatchObject({
      notices: ['prescription initiale hospitalière annuelle'],
      reinforcedMonitoring: true,
      refusal: null,
    });
  });
  it('a DCI line is refused only when every speciality of its group is, and takes the strictest of the rest', () => {
    expect(strictestRules([rules({ refusal: 'prescription hospitalière' }), rules({ list: 'II' })])).toMatchObject({ refusal: null, list: 'II' });
    expect(strictestRules([rules({ refusal: 'prescription hospitalière' }), rules({ refusal: "réservé à l'usage HOSPITALIER" })]).refusal).toBe('prescription hospitalière');
    expect(strictestRules([rules({ maxDurationDays: 84 }), rules({ maxDurationDays: 28, narcotic: true })])).toMatchObject({ maxDurationDays: 28, narcotic: true });
  });
});

describe('line rules (one case per entry of LINE_RULES)', () => {
  const cases: Record<string, [RuleLine, number | null]> = {
    'drug-refused': [withRules({ refusal: 'prescription hospitalière' }), 40],
    'narcotic-renewal': [withRules({ narcotic: true, maxDurationDays: 28 }, { renewals: 1, durationDays: 7 }), 40],
    'narcotic-duration-required': [withRules({ narcotic: true, maxDurationDays: 28 }, { durationDays: null }), 40],
    'duration-limit': [withRules({ maxDurationDays: 28 }, { durationDays: 14, renewals: 2 }), 40],
    'list-twelve-months': [withRules({ list: 'I' }, { durationDays: 30, renewals: 12 }), 40],
    'ns-reason-required': [ruleLine({ nonSubstitutable: true }), 40],
    'ns-dci': [ruleLine({ drug: { kind: 'dci', rules: rules(), substances: [{ name: 'X' }] }, nonSubstitutable: true, nonSubstitutableReason: 'CIF' }), 40],
    'ns-mte-substance': [ruleLine({ nonSubstitutable: true, nonSubstitutableReason: 'MTE' }), 40],
    'ns-efg-age': [ruleLine({ nonSubstitutable: true, nonSubstitutableReason: 'EFG' }), 8],
  };
  it('covers every entry of the table', () => {
    expect(Object.keys(cases).sort()).toEqual(LINE_RULES.map((r) => r.code).sort());
  });
  for (const [code, [line, age]] of Object.entries(cases)) {
    it(`${code}: refused, and only that`, () => expect(checkLineRules(line, age).map((b) => b.code)).toEqual([code]));
  }
  it('lets through what the rules allow', () => {
    expect(checkLineRules(withRules({ narcotic: true, maxDurationDays: 28 }, { durationDays: 28 }), 40)).toEqual([]);
    expect(checkLineRules(withRules({ list: 'I' }, { durationDays: 30, renewals: 11 }), 40)).toEqual([]);
    expect(checkLineRules(ruleLine({ drug: { kind: 'speciality', rules: rules(), substances: [{ name: 'LÉVOTHYROXINE SODIQUE' }] }, nonSubstitutable: true, nonSubstitutableReason: 'MTE' }), 40)).toEqual([]);
    expect(checkLineRules(ruleLine({ nonSubstitutable: true, nonSubstitutableReason: 'EFG' }), 4)).toEqual([]);
    expect(checkLineRules(ruleLine({ drug: null, durationDays: 400 }), 40)).toEqual([]);
  });
});

describe('structured posology', () => {
  it('writes the French sentence, in words on a secure line', () => {
    expect(posologySentence({ dose: 1, unit: 'comprimé', perDay: null, moments: ['evening', 'morning'] }, 7)).toBe('1 comprimé matin et soir pendant 7 jours');
    expect(posologySentence({ dose: 2, unit: 'gélule', perDay: 3, moments: [] }, null)).toBe('2 gélules 3 fois par jour');
    expect(posologySentence({ dose: 0.5, unit: 'comprimé', perDay: null, moments: ['bedtime'] }, 1)).toBe('0,5 comprimé au coucher pendant 1 jour');
    expect(posologySentence({ dose: 5, unit: 'ml', perDay: null, moments: ['morning', 'noon', 'evening'] }, 5)).toBe('5 ml matin, midi et soir pendant 5 jours');
    const words = (n: number) => ({ 1: 'un', 2: 'deux', 28: 'vingt-huit' })[n as 1 | 2 | 28] ?? String(n);
    expect(posologySentence({ dose: 1, unit: 'comprimé', perDay: 2, moments: [] }, 28, words)).toBe('un (1) comprimé deux (2) fois par jour pendant vingt-huit (28) jours');
  });

  it('validation renders the sentence, asks for dose and unit together, and requires them on a secure line', () => {
    const base = { ...emptyPrescriptionLine('k'), medication: 'X', durationDays: '7' };
    const ok = validatePrescription({ lines: [{ ...base, dose: '1', doseUnit: 'comprimé', moments: ['morning'] }], weightKg: '' }, 40);
    expect(ok.ok && ok.prescription.lines[0]).toMatchObject({ posology: '1 comprimé le matin pendant 7 jours', dosage: { dose: 1, unit: 'comprimé', moments: ['morning'] } });
    const half = validatePrescription({ lines: [{ ...base, dose: '1' }], weightKg: '' }, 40);
    expect(!half.ok && half.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['lines.0.doseUnit:required']);
    const narcotic = { kind: 'speciality' as const, cis: '12345678', dciLabel: 'Morphine 10 mg, gélule', specialityName: 'SKENAN', form: 'gélule', routes: ['orale'], substances: [], rules: rules({ narcotic: true, secure: true, maxDurationDays: 28 }) };
    const secure = validatePrescription({ lines: [{ ...base, drug: narcotic, posology: '1 gélule matin et soir' }], weightKg: '' }, 40);
    expect(!secure.ok && secure.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['lines.0.dose:structured-required']);
    const refused = validatePrescription({ lines: [{ ...base, drug: { ...narcotic, rules: rules({ refusal: 'prescription hospitalière' }) }, posology: 'x' }], weightKg: '' }, 40);
    expect(!refused.ok && refused.errors).toEqual([{ field: 'lines.0.medication', code: 'drug-refused', reason: 'prescription hospitalière' }]);
  });
});

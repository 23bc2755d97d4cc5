import { describe, expect, it } from 'vitest';
import type { LaunchContext, Patient } from '../../../contract';
import { compareTraits, normaliseTrait } from './compare-traits';

const patient: Patient = {
  id: 'p1',
  ins: { value: '295109912611193', oid: '1.2.250.1.213.1.4.10' },
  birthName: 'DE LA FONTAINE-DUPRÉ',
  firstNames: ['Hélène', 'Marie'],
  birthDate: '1995-10-12',
  sex: 'F',
  birthPlace: '40192',
  identityStatus: 'QUAL',
};
const launch: LaunchContext = {
  ins: patient.ins!,
  birthName: 'DE LA FONTAINE DUPRE',
  firstNames: ['HELENE', 'MARIE'],
  birthDate: '1995-10-12',
  sex: 'F',
  birthPlace: '40192',
};

describe('trait comparison', () => {
  it('normalises like INSi: capitals, no accents, hyphens and apostrophes as spaces', () => {
    expect(normaliseTrait("  d'Artagnan-Léa ")).toBe('D ARTAGNAN LEA');
  });

  it('finds no discrepancy when only accents, case or hyphens differ', () => {
    expect(compareTraits(launch, patient)).toEqual([]);
  });

  it('accepts the first birth first name alone, not a different first one', () => {
    expect(compareTraits({ ...launch, firstNames: ['Hélène'] }, patient)).toEqual([]);
    expect(compareTraits({ ...launch, firstNames: ['Marie'] }, patient).map((d) => d.field)).toEqual(['firstNames']);
    expect(compareTraits({ ...launch, firstNames: ['Hélène', 'Louise'] }, patient).map((d) => d.field)).toEqual(['firstNames']);
  });

  it('reports every differing strict trait with both values', () => {
    const d = compareTraits({ ...launch, birthName: 'DUPONT', birthDate: '1995-10-21', sex: 'M', birthPlace: '40088' }, patient);
    expect(d.map((x) => x.field)).toEqual(['birthName', 'birthDate', 'sex', 'birthPlace']);
    expect(d[1]).toEqual({ field: 'birthDate', launch: '1995-10-21', platform: '1995-10-12' });
  });

  it('ignores a birth place that one side does not know', () => {
    const { birthPlace: _omit, ...noPlace } = launch;
    expect(compareTraits(noPlace, patient)).toEqual([]);
  });
});

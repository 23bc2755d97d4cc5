import type { LaunchContext, Patient, TraitDiscrepancy } from '../../../contract';

/**
 * Traits are compared the way INSi returns them: capitals without accents, hyphens and
 * apostrophes as spaces. Practice software differ on accents and case; any other difference
 * is a discrepancy for the professional to judge.
 */
export function normaliseTrait(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toUpperCase()
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstNamesMatch(launch: readonly string[], platform: readonly string[]): boolean {
  const a = launch.map(normaliseTrait);
  const b = platform.map(normaliseTrait);
  if (a.join(' ') === b.join(' ')) return true;
  // Many practice software hold only the first birth first name: accept it when it is the same.
  return a.length === 1 && a[0] === b[0];
}

/** The strict traits that differ between the practice software's launch and the platform. */
export function compareTraits(launch: LaunchContext, patient: Patient): TraitDiscrepancy[] {
  const out: TraitDiscrepancy[] = [];
  if (normaliseTrait(launch.birthName) !== normaliseTrait(patient.birthName)) {
    out.push({ field: 'birthName', launch: launch.birthName, platform: patient.birthName });
  }
  if (!firstNamesMatch(launch.firstNames, patient.firstNames)) {
    out.push({ field: 'firstNames', launch: launch.firstNames.join(' '), platform: patient.firstNames.join(' ') });
  }
  if (launch.birthDate !== patient.birthDate) {
    out.push({ field: 'birthDate', launch: launch.birthDate, platform: patient.birthDate });
  }
  if (launch.sex !== patient.sex) out.push({ field: 'sex', launch: launch.sex, platform: patient.sex });
  if (launch.birthPlace && patient.birthPlace && launch.birthPlace !== patient.birthPlace) {
    out.push({ field: 'birthPlace', launch: launch.birthPlace, platform: patient.birthPlace });
  }
  return out;
}

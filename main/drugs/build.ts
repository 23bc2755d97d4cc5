/**
 * From the parsed BDPM tables to the rows of the drug database: each speciality with its DCI
 * wording and its prescribing rules, and the DCI lines (same substances, dosages and form) a GP
 * prescribes in DCI. docs/prescription.md « Base des médicaments ».
 */
import { deriveDrugRules, strictestRules, type DrugRelease, type DrugSubstance } from '../../contract';
import type { DciGroupRow, DrugRow } from '../store/drug-db';
import type { BdpmRelease, Composition } from './bdpm-files';

/** Hydrate / salt words the DCI does not carry (« AMOXICILLINE ANHYDRE » → amoxicilline). */
const NOT_DCI = /\s+(anhydre|base|(?:mono|di|tri|sesqui|hémi|hemi)?hydraté(?:e)?|trihydrate)$/i;

/** « AMOXICILLINE ANHYDRE » → « Amoxicilline ». */
export function dciName(substance: string): string {
  let s = substance.trim().toLowerCase();
  while (NOT_DCI.test(s)) s = s.replace(NOT_DCI, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** « 1000 mg » → « 1 g », « 1,00 mg » → « 1 mg »; anything else as written. */
export function normaliseDosage(dosage: string): string {
  const m = /^(\d+(?:,\d+)?)\s*(mg|g|µg|microgrammes?)$/i.exec(dosage.trim());
  if (!m) return dosage.trim().replace(/\s+/g, ' ');
  let value = Number(m[1]!.replace(',', '.'));
  let unit = m[2]!.toLowerCase().startsWith('micro') ? 'µg' : m[2]!.toLowerCase();
  if (unit === 'mg' && value >= 1000 && value % 1000 === 0) {
    value /= 1000;
    unit = 'g';
  }
  return `${String(value).replace('.', ',')} ${unit}`;
}

/**
 * The active substances of one speciality, as prescribed: per SA–FT link the therapeutic fraction
 * when the BDPM gives one (it carries the dosage: « AMOXICILLINE ANHYDRE 1000 mg »), else the
 * active substance.
 */
export function activeSubstances(rows: readonly Composition[]): DrugSubstance[] {
  const byLink = new Map<string, Composition[]>();
  rows.forEach((c, i) => {
    const key = `${c.element}|${c.link || `#${i}`}`;
    byLink.set(key, [...(byLink.get(key) ?? []), c]);
  });
  const out: DrugSubstance[] = [];
  for (const group of byLink.values()) {
    const ft = group.filter((c) => c.nature === 'FT');
    for (const c of ft.length > 0 ? ft : group) out.push({ code: c.substanceCode, name: c.substance, dosage: c.dosage });
  }
  // Same substance twice (two elements of a kit): once.
  const seen = new Set<string>();
  return out.filter((s) => (seen.has(`${s.code}|${s.dosage}`) ? false : (seen.add(`${s.code}|${s.dosage}`), true)));
}

/** « Amoxicilline 1 g, comprimé »; « Amoxicilline 1 g + acide clavulanique 125 mg, … ». */
export function dciLabelOf(substances: readonly DrugSubstance[], form: string): string {
  const parts = substances.map((s, i) => {
    const name = dciName(s.name);
    const named = i === 0 ? name : name.charAt(0).toLowerCase() + name.slice(1);
    const dose = s.dosage ? normaliseDosage(s.dosage) : '';
    return dose ? `${named} ${dose}` : named;
  });
  return `${parts.join(' + ') || 'Substance non précisée'}, ${form}`;
}

export interface BuiltDrugDatabase {
  specialities: DrugRow[];
  groups: DciGroupRow[];
  release: DrugRelease;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Only specialities with an active marketing authorisation are offered. */
export function buildDrugRows(release: BdpmRelease, meta: { source: string; importedAt: string }): BuiltDrugDatabase {
  const compositions = groupBy(release.compositions, (c) => c.cis);
  const conditions = new Map([...groupBy(release.conditions, (c) => c.cis)].map(([cis, list]) => [cis, list.map((c) => c.text)]));

  const specialities: DrugRow[] = [];
  for (const s of release.specialities) {
    if (s.ammStatus !== 'Autorisation active') continue;
    const substances = activeSubstances(compositions.get(s.cis) ?? []);
    specialities.push({
      cis: s.cis,
      name: s.name,
      form: s.form,
      routes: s.routes,
      marketed: s.marketed,
      substances,
      dciLabel: dciLabelOf(substances, s.form),
      rules: deriveDrugRules(conditions.get(s.cis) ?? [], s.reinforcedMonitoring),
    });
  }

  // DCI lines: same label (substances, normalised dosages, form) = one line a pharmacist can fill with any of them.
  const groups = groupBy(
    specialities.filter((s) => s.substances.length > 0),
    (s) => s.dciLabel,
  );
  const groupRows: DciGroupRow[] = [...groups.entries()].map(([label, members]) => {
    const marketed = members.filter((m) => m.marketed);
    const basis = marketed.length > 0 ? marketed : members;
    return {
      label,
      form: members[0]!.form,
      routes: [...new Set(members.flatMap((m) => m.routes))],
      substances: members[0]!.substances.map((x) => ({ ...x, name: dciName(x.name), dosage: x.dosage ? normaliseDosage(x.dosage) : '' })),
      rules: strictestRules(basis.map((m) => m.rules)),
      cis: basis[0]!.cis,
      count: members.length,
      marketed: marketed.length > 0,
    };
  });
  return {
    specialities,
    groups: groupRows,
    release: { releaseDate: release.releaseDate, importedAt: meta.importedAt, source: meta.source, specialities: specialities.length },
  };
}

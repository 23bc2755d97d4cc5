/**
 * Prescribing rules, as data (issue 14 item 3; docs/prescription.md cites the texts):
 * - CONDITION_RULES turn the BDPM « conditions de prescription et de délivrance » (CIS_CPD) of a
 *   speciality into DrugRules, once, at import;
 * - LINE_RULES check a prescription line against its drug's rules (and the patient's age), in the
 *   window as the GP types and again in the core before anything is signed or sent.
 * Each entry of both tables has its own test (drug-rules.test.ts).
 */
import { NO_RULES, type DrugRules } from './drugs';

type Apply = (rules: DrugRules, text: string, match: RegExpExecArray) => void;

/** « prescription limitée à 4 semaines » → 28; « 7 jours » → 7. */
function days(n: string, unit: string): number {
  return Number(n) * (/semaine/i.test(unit) ? 7 : /mois/i.test(unit) ? 30 : 1);
}
const tighter = (current: number | null, limit: number) => (current === null ? limit : Math.min(current, limit));

/**
 * Each BDPM condition wording → its effect. Order does not matter: rules only tighten.
 * A wording no entry matches is shown as a notice (never silently dropped).
 */
export const CONDITION_RULES: readonly { id: string; match: RegExp; apply: Apply }[] = [
  { id: 'liste-I', match: /^liste I$/i, apply: (r) => void (r.list = r.list === 'II' ? 'I' : 'I') },
  { id: 'liste-II', match: /^liste II$/i, apply: (r) => void (r.list ??= 'II') },
  {
    id: 'stupefiant',
    match: /^stupéfiants?$|soumis (?:à la réglementation|aux règles) des stupéfiants/i,
    apply: (r) => {
      r.narcotic = true;
      r.secure = true;
      // R5132-30: never more than 28 days; a shorter limit comes from its own condition line.
      r.maxDurationDays = tighter(r.maxDurationDays, 28);
    },
  },
  { id: 'toutes-lettres', match: /en toutes lettres sur ordonnance sécurisée/i, apply: (r) => void (r.secure = true) },
  {
    id: 'duree-limitee',
    match: /prescription limitée à (\d+) (jours?|semaines?|mois)/i,
    apply: (r, _t, m) => void (r.maxDurationDays = tighter(r.maxDurationDays, days(m[1]!, m[2]!))),
  },
  {
    id: 'delivrance-fractionnee',
    match: /délivrance fractionnée de (\d+) (jours?|semaines?)/i,
    apply: (r, _t, m) => void (r.fractionDays = days(m[1]!, m[2]!)),
  },
  // Refused to a GP in town: the BDPM wording is the reason shown.
  { id: 'hospitaliere', match: /^prescription hospitalière$|réservé à l'usage hospitalier|délivrance réservée aux pharmacies à usage intérieur/i, apply: (r, t) => void (r.refusal ??= t) },
  {
    id: 'specialiste',
    match: /^prescription réservée aux (?:spécialistes|médecins)|^réservé à l'usage professionnel|^réservé à l'usage en situation d'urgence|^réservé à une structure/i,
    apply: (r, t) => void (r.refusal ??= t),
  },
  { id: 'surveillance', match: /surveillance particulière/i, apply: (r, t) => void r.notices.push(t) },
];

/** The rules of a speciality from its CIS_CPD lines and its « surveillance renforcée » flag. */
export function deriveDrugRules(conditions: readonly string[], reinforcedMonitoring: boolean): DrugRules {
  const rules: DrugRules = { ...NO_RULES, notices: [], reinforcedMonitoring };
  for (const raw of conditions) {
    const text = raw.trim();
    if (!text) continue;
    let matched = false;
    for (const rule of CONDITION_RULES) {
      const m = rule.match.exec(text);
      if (!m) continue;
      matched = true;
      rule.apply(rules, text, m);
    }
    // Initial prescription elsewhere, renewal reserved, consent… : the GP reads them beside the line.
    if (!matched && !/^médicament soumis à prescription médicale$/i.test(text)) rules.notices.push(text);
  }
  rules.notices = [...new Set(rules.notices)];
  return rules;
}

/** The most restrictive of several specialities' rules: a DCI line stands for all of them. */
export function strictestRules(all: readonly DrugRules[]): DrugRules {
  if (all.length === 0) return { ...NO_RULES, notices: [] };
  const pick = <T>(xs: (T | null)[]) => xs.find((x) => x !== null) ?? null;
  const limits = all.map((r) => r.maxDurationDays).filter((x): x is number => x !== null);
  const fractions = all.map((r) => r.fractionDays).filter((x): x is number => x !== null);
  return {
    list: all.some((r) => r.list === 'I') ? 'I' : all.some((r) => r.list === 'II') ? 'II' : null,
    narcotic: all.some((r) => r.narcotic),
    secure: all.some((r) => r.secure),
    maxDurationDays: limits.length ? Math.min(...limits) : null,
    fractionDays: fractions.length ? Math.min(...fractions) : null,
    // A DCI line is refused only when every speciality of the group is (the pharmacist dispenses one a GP may prescribe).
    refusal: all.every((r) => r.refusal !== null) ? pick(all.map((r) => r.refusal)) : null,
    notices: [...new Set(all.flatMap((r) => r.notices))],
    reinforcedMonitoring: all.some((r) => r.reinforcedMonitoring),
  };
}

// ── Lines.

/** Justifications of « non substituable » (arrêté du 12 novembre 2019, in force 1 January 2020). */
export const NON_SUBSTITUTABLE_REASONS = ['MTE', 'EFG', 'CIF'] as const;
export type NonSubstitutableReason = (typeof NON_SUBSTITUTABLE_REASONS)[number];
/** EFG: a child under six, when no generic has a suitable form. */
export const EFG_MAX_AGE = 6;
/**
 * MTE (narrow therapeutic margin): only the substances in the annex of the arrêté of 12 November
 * 2019 as amended on 20 July 2022 (lacosamide, oxcarbazépine added). Matched on the BDPM substance
 * names, accents and case folded.
 */
export const MTE_SUBSTANCES = [
  'lamotrigine',
  'pregabaline',
  'zonisamide',
  'levetiracetam',
  'topiramate',
  'valproate de sodium',
  'acide valproique',
  'levothyroxine',
  'mycophenolate mofetil',
  'mycophenolate sodique',
  'acide mycophenolique',
  'buprenorphine',
  'azathioprine',
  'ciclosporine',
  'everolimus',
  'lacosamide',
  'oxcarbazepine',
] as const;

export const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** What LINE_RULES look at: the line as validated (numbers parsed), its drug, the patient's age. */
export interface RuleLine {
  drug: { kind: 'speciality' | 'dci'; rules: DrugRules; substances: readonly { name: string }[] } | null;
  durationDays: number | null;
  renewals: number;
  nonSubstitutable: boolean;
  nonSubstitutableReason: NonSubstitutableReason | null;
}

export const LINE_RULE_CODES = [
  'drug-refused',
  'narcotic-renewal',
  'narcotic-duration-required',
  'duration-limit',
  'list-twelve-months',
  'ns-reason-required',
  'ns-dci',
  'ns-mte-substance',
  'ns-efg-age',
] as const;
export type LineRuleCode = (typeof LINE_RULE_CODES)[number];

export interface LineRuleBreach {
  code: LineRuleCode;
  /** Which field of the line the GP must change. */
  field: 'medication' | 'renewals' | 'durationDays' | 'nonSubstitutable';
  /** The number the message quotes (days), or the BDPM wording of a refusal. */
  limit?: number;
  reason?: string;
}

const total = (l: RuleLine) => (l.durationDays ?? 0) * (1 + l.renewals);

/** Each legal rule of a line: when it applies, and what it refuses. */
export const LINE_RULES: readonly { code: LineRuleCode; check: (line: RuleLine, age: number | null) => LineRuleBreach | null }[] = [
  {
    code: 'drug-refused',
    check: (l) => (l.drug?.rules.refusal ? { code: 'drug-refused', field: 'medication', reason: l.drug.rules.refusal } : null),
  },
  // R5132-30: a stupéfiant is not renewed; a new ordonnance is written.
  { code: 'narcotic-renewal', check: (l) => (l.drug?.rules.narcotic && l.renewals > 0 ? { code: 'narcotic-renewal', field: 'renewals' } : null) },
  {
    code: 'narcotic-duration-required',
    check: (l) => (l.drug?.rules.narcotic && l.durationDays === null ? { code: 'narcotic-duration-required', field: 'durationDays' } : null),
  },
  {
    code: 'duration-limit',
    check: (l) => {
      const max = l.drug?.rules.maxDurationDays ?? null;
      return max !== null && total(l) > max ? { code: 'duration-limit', field: 'durationDays', limit: max } : null;
    },
  },
  // R5132-21: a liste I / II drug is not prescribed for more than twelve months, renewals included.
  {
    code: 'list-twelve-months',
    check: (l) => (l.drug?.rules.list && total(l) > 365 ? { code: 'list-twelve-months', field: 'renewals', limit: 365 } : null),
  },
  { code: 'ns-reason-required', check: (l) => (l.nonSubstitutable && !l.nonSubstitutableReason ? { code: 'ns-reason-required', field: 'nonSubstitutable' } : null) },
  // Only a speciality can be « non substituable »: a DCI line leaves the choice to the pharmacist by definition.
  { code: 'ns-dci', check: (l) => (l.nonSubstitutable && l.drug?.kind !== 'speciality' ? { code: 'ns-dci', field: 'nonSubstitutable' } : null) },
  {
    code: 'ns-mte-substance',
    check: (l) => {
      if (!l.nonSubstitutable || l.nonSubstitutableReason !== 'MTE' || !l.drug) return null;
      const names = l.drug.substances.map((s) => fold(s.name));
      return names.some((n) => MTE_SUBSTANCES.some((m) => n.includes(m))) ? null : { code: 'ns-mte-substance', field: 'nonSubstitutable' };
    },
  },
  {
    code: 'ns-efg-age',
    check: (l, age) =>
      l.nonSubstitutable && l.nonSubstitutableReason === 'EFG' && (age === null || age >= EFG_MAX_AGE) ? { code: 'ns-efg-age', field: 'nonSubstitutable', limit: EFG_MAX_AGE } : null,
  },
];

export function checkLineRules(line: RuleLine, age: number | null): LineRuleBreach[] {
  return LINE_RULES.map((r) => r.check(line, age)).filter((b): b is LineRuleBreach => b !== null);
}

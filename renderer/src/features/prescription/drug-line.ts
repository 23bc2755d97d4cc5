/**
 * Small decisions of a drug line in the composer, kept out of the components so they are tested:
 * the dose unit a BDPM form suggests, the rules shown beside a line.
 */
import type { DrugRules } from '../../contract';
import { fr } from '../../i18n/fr';

const UNIT_BY_FORM: readonly [RegExp, string][] = [
  [/^comprimé/i, 'comprimé'],
  [/^(gélule|capsule)/i, 'gélule'],
  [/sachet|granulés/i, 'sachet'],
  [/suppositoire/i, 'suppositoire'],
  [/collyre|gouttes/i, 'goutte'],
  [/dispositif transdermique|patch/i, 'patch'],
  [/inhalation|inhaler|pressurisée/i, 'bouffée'],
  [/crème|pommade|gel|lotion|émulsion/i, 'application'],
  [/solution buvable|sirop|suspension buvable|solution injectable/i, 'ml'],
  [/ampoule/i, 'ampoule'],
];

/** « comprimé pelliculé sécable » → « comprimé »; '' when the form says nothing sure. */
export function defaultUnitForForm(form: string): string {
  return UNIT_BY_FORM.find(([re]) => re.test(form))?.[1] ?? '';
}

/** The sentences shown under a drug line, most serious first. */
export function ruleNotices(rules: DrugRules): { text: string; tone: 'danger' | 'warning' | 'info' }[] {
  const t = fr.rx.rules;
  const out: { text: string; tone: 'danger' | 'warning' | 'info' }[] = [];
  if (rules.refusal) out.push({ text: t.refused(rules.refusal), tone: 'danger' });
  if (rules.narcotic) out.push({ text: t.narcotic, tone: 'warning' });
  else if (rules.secure) out.push({ text: t.secure, tone: 'warning' });
  if (rules.maxDurationDays !== null && !(rules.narcotic && rules.maxDurationDays === 28)) out.push({ text: t.maxDuration(rules.maxDurationDays), tone: 'warning' });
  if (rules.fractionDays !== null) out.push({ text: t.fraction(rules.fractionDays), tone: 'info' });
  if (rules.list === 'I') out.push({ text: t.list1, tone: 'info' });
  if (rules.list === 'II') out.push({ text: t.list2, tone: 'info' });
  if (rules.reinforcedMonitoring) out.push({ text: t.reinforced, tone: 'warning' });
  for (const n of rules.notices) out.push({ text: n, tone: 'info' });
  return out;
}

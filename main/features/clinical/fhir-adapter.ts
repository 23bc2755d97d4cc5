/**
 * The clinical-header part of the FHIR adapter (ClinicalPort): four searches in parallel —
 * AllergyIntolerance, Condition (category ALD), the last body-weight Observation, RelatedPerson.
 * Created by createFhirPlatform, which lends its HTTP client.
 */
import type { AllergyIntolerance, BundleEntry, Condition, Observation, RelatedPerson, Resource } from '@medplum/fhirtypes';
import type { ClinicalSummary, RelatedContact } from '../../../contract';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { CLINICAL } from './fhir-systems';

// ── The port (main/platform/port.ts extends it).

export interface ClinicalPort {
  /** Everything the platform has for the header; the core removes what the role may not read. */
  getClinicalSummary(patientId: string): Promise<ClinicalSummary>;
}

// ── Its FHIR implementation (pure mappers exported for tests).

export type ClinicalAdapterDeps = Pick<FhirAdapterDeps, 'searchAll'>;

const resourcesOf = <T extends Resource>(entries: readonly BundleEntry[], type: T['resourceType']): T[] =>
  entries.map((e) => e.resource).filter((r): r is T => r?.resourceType === type);

const codeOf = (cc: { text?: string; coding?: { display?: string }[] } | undefined): string =>
  (cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? '').trim();

const statusCode = (cc: { coding?: { code?: string }[] } | undefined): string | undefined => cc?.coding?.[0]?.code;

export function mapAllergies(list: readonly AllergyIntolerance[]): NonNullable<ClinicalSummary['allergies']> {
  return list
    .filter((a) => {
      const clinical = statusCode(a.clinicalStatus);
      const verification = statusCode(a.verificationStatus);
      return (clinical === undefined || clinical === 'active') && verification !== 'refuted' && verification !== 'entered-in-error';
    })
    .map((a) => ({ substance: codeOf(a.code), critical: a.criticality === 'high' }))
    .filter((a) => a.substance !== '')
    .sort((a, b) => Number(b.critical) - Number(a.critical) || a.substance.localeCompare(b.substance, 'fr'));
}

export function mapAld(list: readonly Condition[]): string[] {
  return list
    .filter((c) => c.category?.some((cat) => cat.coding?.some((x) => x.system === CLINICAL.conditionCategory && x.code === CLINICAL.ald)))
    .filter((c) => {
      const s = statusCode(c.clinicalStatus);
      return (s === undefined || s === 'active') && statusCode(c.verificationStatus) !== 'entered-in-error';
    })
    .map((c) => codeOf(c.code))
    .filter((t) => t !== '');
}

export function mapWeight(list: readonly Observation[]): ClinicalSummary['weight'] {
  const usable = list
    .filter((o) => o.status === 'final' || o.status === 'amended' || o.status === 'corrected')
    .filter((o) => o.code?.coding?.some((c) => c.system === CLINICAL.loinc && c.code === CLINICAL.bodyWeight))
    .map((o) => {
      const q = o.valueQuantity;
      const unit = q?.code ?? q?.unit;
      const kg = q?.value === undefined ? NaN : unit === 'g' ? q.value / 1000 : unit === 'kg' ? q.value : NaN;
      const date = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
      return { kg: Math.round(kg * 10) / 10, date };
    })
    .filter((w) => Number.isFinite(w.kg) && w.kg > 0 && w.date !== '')
    .sort((a, b) => b.date.localeCompare(a.date));
  return usable[0] ?? null;
}

export function mapContacts(list: readonly RelatedPerson[]): RelatedContact[] {
  const rank = (r: RelatedPerson) =>
    r.relationship?.some((cc) => cc.coding?.some((c) => c.system === CLINICAL.relatedRole && c.code === CLINICAL.trustedPerson)) ? 0 : 1;
  return list
    .filter((r) => r.active !== false)
    .sort((a, b) => rank(a) - rank(b))
    .map((r) => {
      const n = r.name?.find((x) => x.use === 'official') ?? r.name?.[0];
      const name = n?.text ?? [n?.prefix?.join(' '), n?.given?.join(' '), n?.family?.toLocaleUpperCase('fr-FR')].filter(Boolean).join(' ');
      const relation = (r.relationship ?? []).map((cc) => codeOf(cc)).filter((t) => t !== '').join(', ');
      const phone = r.telecom?.find((t) => t.system === 'phone' && t.value)?.value;
      return { name, relation, ...(phone ? { phone } : {}) };
    })
    .filter((c) => c.name !== '');
}

export function createClinicalAdapter(deps: ClinicalAdapterDeps): ClinicalPort {
  return {
    async getClinicalSummary(patientId: string): Promise<ClinicalSummary> {
      const what = `Clinical header of ${patientId}`;
      const subject = `Patient/${patientId}`;
      const [allergies, conditions, weights, related] = await Promise.all([
        deps.searchAll('AllergyIntolerance', { patient: subject, _count: '50' }, what),
        deps.searchAll('Condition', { subject, category: `${CLINICAL.conditionCategory}|${CLINICAL.ald}`, _count: '50' }, what),
        deps.searchAll('Observation', { subject, code: `${CLINICAL.loinc}|${CLINICAL.bodyWeight}`, _sort: '-date', _count: '5' }, what),
        deps.searchAll('RelatedPerson', { patient: subject, _count: '20' }, what),
      ]);
      return {
        patientId,
        allergies: mapAllergies(resourcesOf<AllergyIntolerance>(allergies, 'AllergyIntolerance')),
        ald: mapAld(resourcesOf<Condition>(conditions, 'Condition')),
        weight: mapWeight(resourcesOf<Observation>(weights, 'Observation')),
        contacts: mapContacts(resourcesOf<RelatedPerson>(related, 'RelatedPerson')),
      };
    },
  };
}

/**
 * The seed must be valid FHIR R4, or tests against the sandbox would bless resources a real
 * server refuses. Checked with Medplum's validator over the R4 definitions (structure,
 * cardinalities, value sets bound required, and the invariants such as gol-1).
 */
import '../medplum-env';
import type { DocumentReference, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../medplum-env';
import { buildSeed } from './index';

let validateResource: (resource: Resource) => unknown;
beforeAll(async () => {
  await loadFhirDefinitions();
  ({ validateResource } = await import('@medplum/core'));
});

/** The validator's complaints about one resource, as `<type>/<id>: <issue>` lines (empty when valid). */
function problemsOf(resource: Resource): string[] {
  try {
    validateResource(resource);
    return [];
  } catch (err) {
    const issues = (err as { outcome?: { issue?: { details?: { text?: string }; diagnostics?: string; expression?: string[] }[] } }).outcome?.issue;
    if (!issues) throw err;
    return issues.map((i) => `${resource.resourceType}/${resource.id}: ${i.details?.text ?? i.diagnostics} (${i.expression?.join(', ') ?? ''})`);
  }
}

/**
 * Journal entries are 13,000 of the seed's 14,000 resources and take ~0.6 ms each to validate:
 * every 10th, plus the first of every shape (kind × reply × attachment × label × urgency).
 */
function journalSample(docs: DocumentReference[]): DocumentReference[] {
  const seen = new Set<string>();
  return docs.filter((d, i) => {
    const shape = [
      d.type?.coding?.[0]?.code,
      !!d.relatesTo,
      d.content.length,
      d.securityLabel?.[0]?.coding?.[0]?.code,
      !!d.category,
      !!d.extension,
    ].join('|');
    const first = !seen.has(shape);
    seen.add(shape);
    return first || i % 10 === 0;
  });
}

describe('seed conformance (FHIR R4, Medplum validateResource)', () => {
  const seed = buildSeed(1);
  const docs = seed.resources.filter((r): r is DocumentReference => r.resourceType === 'DocumentReference');
  const others = seed.resources.filter((r) => r.resourceType !== 'DocumentReference');

  it('every seeded resource other than journal entries is valid (Goals included: gol-1)', () => {
    expect(new Set(others.map((r) => r.resourceType))).toEqual(
      new Set(['Binary', 'Organization', 'Practitioner', 'PractitionerRole', 'Patient', 'CareTeam', 'Location', 'Condition', 'MedicationRequest', 'Goal', 'HealthcareService', 'CarePlan', 'Appointment', 'Task', 'Flag', 'AllergyIntolerance', 'Observation', 'RelatedPerson', 'MedicationDispense', 'MedicationAdministration', 'Composition']),
    );
    expect(others.flatMap(problemsOf)).toEqual([]);
  });

  it('every shape of journal entry, and every 10th entry, is valid', () => {
    const sample = journalSample(docs);
    expect(sample.length).toBeGreaterThan(docs.length / 10);
    expect(sample.flatMap(problemsOf)).toEqual([]);
  });

  it('the validator does catch a Goal whose target has a detail and no measure (gol-1)', () => {
    const goal = seed.resources.find((r) => r.resourceType === 'Goal')!;
    const broken = { ...goal, target: [{ detailString: 'Poids stable', dueDate: '2027-01-01' }] } as Resource;
    expect(problemsOf(broken).join('\n')).toMatch(/gol-1/);
  });
});

/** Test helpers: what the care team does on the platform (raise an alert), over plain HTTP. */
import type { Flag } from '@medplum/fhirtypes';

export async function raiseFlagOnPlatform(
  baseUrl: string,
  patientId: string,
  text = 'Dégradation de l’état général : chute ce matin, douleur de hanche',
  kind: 'degradation' | 'non-observance' | 'hospitalisation' | 'new-document' = 'degradation',
  authorRoleId = 'role-lamothe',
): Promise<Flag> {
  const flag: Flag = {
    resourceType: 'Flag',
    status: 'active',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical' }] }],
    code: { coding: [{ system: 'https://relais.example/fhir/CodeSystem/alert-kind', code: kind }], text },
    subject: { reference: `Patient/${patientId}` },
    period: { start: new Date().toISOString() },
    author: { reference: `PractitionerRole/${authorRoleId}` },
    // How urgent, as the author's tool says it (R4 flag-priority): shown in the alert strip.
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/flag-priority',
        valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/flag-priority-code', code: kind === 'degradation' || kind === 'hospitalisation' ? 'PH' : 'PM' }] },
      },
    ],
  };
  const res = await fetch(`${baseUrl}/Flag`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
    body: JSON.stringify(flag),
  });
  if (res.status !== 201) throw new Error(`POST Flag: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Flag;
}

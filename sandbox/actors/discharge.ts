/**
 * The establishment's scripted discharge (issue 13): a platform-side actor that sends what a
 * hospital sends when a patient goes home — the discharge letter (DocumentReference, LOINC
 * 18842-5, also a journal entry of kind hospitalisation), the treatments at discharge (List,
 * LOINC 10183-2, of contained MedicationStatements), an alert for the GP (Flag) and a task
 * « Retour à domicile » for the territory's support cell. The treatments are the patient's active
 * ones with deterministic changes: the first one's dose changed, the second one stopped, one new
 * diuretic. A plain FHIR client of the sandbox; tests call it, nothing runs on its own.
 */
import type { Bundle, DocumentReference, Flag, List, MedicationRequest, MedicationStatement, Patient, Task } from '@medplum/fhirtypes';
import { CAHIER_DE_LIAISON, PLATFORM } from '../fhir/systems';
import { confidentialityLabel } from '../fhir/labels';

export const DISCHARGE = {
  summary: { system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' },
  medications: { system: 'http://loinc.org', code: '10183-2', display: 'Hospital discharge medications Narrative' },
  returnHome: { system: 'https://relais.example/fhir/CodeSystem/support-cell-task', code: 'return-home', display: 'Retour à domicile' },
  /** The first of these whose substance the patient does not take yet is the new treatment. */
  newMedications: [
    { medication: 'Furosémide 40 mg, comprimé', posology: '1 comprimé le matin' },
    { medication: 'Apixaban 2,5 mg, comprimé', posology: '1 comprimé matin et soir' },
    { medication: 'Lévothyroxine 50 µg, comprimé', posology: '1 comprimé le matin à jeun' },
  ],
  changedPosology: '1 comprimé matin et soir',
} as const;

const CELL_OF: Record<string, { reference: string; display: string }> = {
  '40': { reference: 'Organization/org-dac-landes', display: 'DAC des Landes' },
  '55': { reference: 'Organization/org-dac-meuse', display: 'DAC Meuse' },
};

export interface DischargeOptions {
  token?: string;
  establishment?: { reference: string; display: string };
  now?: () => Date;
}

/** Posts one discharge for the patient; answers the letter's DocumentReference id. */
export async function postDischarge(baseUrl: string, patientId: string, options: DischargeOptions = {}): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/fhir+json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}/${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`discharge: ${init.method ?? 'GET'} ${path.split('?')[0]} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const at = (options.now?.() ?? new Date()).toISOString();
  const est = options.establishment ?? { reference: 'Organization/org-centre-hospitalier-de-mont-de-marsan', display: 'Centre hospitalier de Mont-de-Marsan' };
  const subject = { reference: `Patient/${patientId}` };
  const patient = await call<Patient>(`Patient/${patientId}`);
  const meds = ((await call<Bundle<MedicationRequest>>(`MedicationRequest?subject=Patient/${patientId}&status=active&_count=50`)).entry ?? [])
    .map((e) => e.resource!)
    .filter((m) => m.status === 'active')
    .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
  const substance = (text: string) => text.split(/[\s,]/)[0]!.toLowerCase();
  const taken = new Set(meds.map((m) => substance(m.medicationCodeableConcept?.text ?? '')));
  const added = DISCHARGE.newMedications.find((m) => !taken.has(substance(m.medication)))!;
  const after = meds
    .map((m, i) => ({ medication: m.medicationCodeableConcept?.text ?? '', posology: i === 0 ? DISCHARGE.changedPosology : (m.dosageInstruction?.[0]?.text ?? ''), stopped: i === 1 }))
    .filter((m) => m.medication && !m.stopped)
    .concat([{ ...added, stopped: false }]);
  const contained: MedicationStatement[] = after.map((m, i) => ({
    resourceType: 'MedicationStatement',
    id: `m${i + 1}`,
    status: 'active',
    medicationCodeableConcept: { text: m.medication },
    subject,
    dosage: [{ text: m.posology }],
  }));
  const list = await call<List>('List', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'List',
      contained,
      status: 'current',
      mode: 'snapshot',
      title: `Traitement de sortie — ${est.display}`,
      code: { coding: [{ ...DISCHARGE.medications }] },
      subject,
      date: at,
      entry: contained.map((m) => ({ item: { reference: `#${m.id}` } })),
    } satisfies List),
  });
  const text = `Lettre de liaison de sortie — ${est.display}. Retour à domicile ce jour. Traitement de sortie modifié : voir le rapprochement des traitements.`;
  const letter = await call<DocumentReference>('DocumentReference', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'DocumentReference',
      meta: { profile: [CAHIER_DE_LIAISON.documentReferenceProfile] },
      status: 'current',
      type: {
        coding: [{ system: PLATFORM.journalKindCodeSystem, code: 'hospitalisation', display: 'Hospitalisation' }, { ...DISCHARGE.summary }],
        text: 'Hospitalisation',
      },
      subject,
      date: at,
      description: `Lettre de liaison de sortie — ${est.display}`,
      custodian: est,
      author: [{ reference: 'PractitionerRole/role-lacoste', display: 'Dr François LACOSTE' }],
      securityLabel: [confidentialityLabel(false)],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: Buffer.from(text, 'utf8').toString('base64') } }],
      context: { related: [{ reference: `List/${list.id}` }] },
    } satisfies DocumentReference),
  });
  await call<Flag>('Flag', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Flag',
      status: 'active',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' }] }],
      code: { coding: [{ system: PLATFORM.alertKindCodeSystem, code: 'hospitalisation', display: 'Hospitalisation' }], text: `Sortie d'hospitalisation (${est.display}) : lettre de liaison reçue, traitement modifié.` },
      subject,
      period: { start: at },
      author: { reference: 'PractitionerRole/role-lacoste', display: 'Dr François LACOSTE' },
    } satisfies Flag),
  });
  const dep = (patient.address?.[0]?.postalCode ?? '').slice(0, 2);
  const cell = CELL_OF[dep];
  if (cell) {
    await call<Task>('Task', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        priority: 'urgent',
        code: { coding: [{ ...DISCHARGE.returnHome }], text: 'Retour à domicile' },
        description: `Retour à domicile après hospitalisation (${est.display}) : aides, suivi médical, rapprochement des traitements.`,
        focus: { reference: `DocumentReference/${letter.id}` },
        for: subject,
        authoredOn: at,
        owner: cell,
      } satisfies Task),
    });
  }
  return letter.id!;
}

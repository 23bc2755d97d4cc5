/**
 * E-prescription against real components: the sandbox over HTTP, a real SQLite store and outbox,
 * and the PDF parsed back with pdf-lib.
 */
import type { Bundle, DocumentReference, Medication, MedicationRequest } from '@medplum/fhirtypes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePDFRawStream, PDFDocument, PDFName, PDFRawStream, type PDFDict } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyPrescriptionLine, validatePrescription, type Patient, type Prescription, type PrescriptionDraftContent } from '../../../contract';
import { BENCH_PATIENT_500, DEMO_GP_ID } from '../../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { EventBus } from '../../events';
import { Outbox } from '../../outbox/outbox';
import { createFhirPlatform } from '../../platform/fhir/index';
import { buildMedicationRequest, PRESCRIPTION_ID_SYSTEM, PRESCRIPTION_ZONE_SYSTEM } from './fhir-mapping';
import { ANSM_SUBSTANCE_SYSTEM, CIS_SYSTEM } from './fhir-systems';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';
import type { Platform } from '../../platform/port';
import type { PrescriberDetails } from './fhir-adapter';
import { LocalStore } from '../../store/store';
import { ALD_ZONE_TITLE, BARCODE_GAP_MM, OTHER_ZONE_TITLE, quantityText, renderOrdonnancePdf } from './ordonnance-pdf';
import { registerWriters } from '../feature';
import { testFeatureContext } from '../test-context';
import { createPrescriptionsFeature } from './handlers';
import { DEMO_GP_PROFESSIONAL } from '../../../test/support/demo-professional';

let sandbox: Sandbox;
let platform: Platform;
let dir: string;
const professional = DEMO_GP_PROFESSIONAL;
const patientId = BENCH_PATIENT_500.id;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  platform = createFhirPlatform({ baseUrl: sandbox.url, timeoutMs: 5000 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-rx-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const line = (key: string, over: Partial<ReturnType<typeof emptyPrescriptionLine>>) => ({ ...emptyPrescriptionLine(key), ...over });
const DRAFT: PrescriptionDraftContent = {
  lines: [
    line('a', { medication: 'Bisoprolol 2,5 mg, comprimé', posology: '1 comprimé le matin', route: 'voie orale', durationDays: '90', renewals: '2', ald: true }),
    line('b', { medication: 'Paracétamol 1 g, comprimé', posology: '1 comprimé 3 fois par jour', route: 'voie orale', durationDays: '5', packs: '1', instructions: 'Pas plus de 3 g par jour ; espacer les prises d’au moins 6 h' }),
  ],
  weightKg: '',
};

async function search<T>(path: string): Promise<T[]> {
  const res = await fetch(`${sandbox.url}/${path}`);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

/** The text drawn on every page (standard fonts: hex strings in WinAnsi; Latin-1 is enough for what we check). */
async function pdfText(bytes: Uint8Array): Promise<{ doc: PDFDocument; text: string; images: { x: number; width: number }[] }> {
  const doc = await PDFDocument.load(bytes);
  let text = '';
  const images: { x: number; width: number }[] = [];
  for (const page of doc.getPages()) {
    const contents = doc.context.lookup(page.node.get(PDFName.of('Contents')));
    const refs = contents && 'asArray' in contents ? (contents as { asArray(): unknown[] }).asArray() : [page.node.get(PDFName.of('Contents'))];
    for (const ref of refs) {
      const stream = doc.context.lookup(ref as never);
      if (!(stream instanceof PDFRawStream)) continue;
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text += Buffer.from(m[1]!, 'hex').toString('latin1') + '\n';
      // pdf-lib places an image: translate (x, y), identity, scale (w, h), identity, then `/Name Do`.
      for (const m of ops.matchAll(/1 0 0 1 ([\d.]+) [\d.]+ cm\n1 0 0 1 0 0 cm\n([\d.]+) 0 0 [\d.]+ 0 0 cm\n1 0 0 1 0 0 cm\n\/\S+ Do/g)) {
        images.push({ x: Number(m[1]), width: Number(m[2]) });
      }
    }
  }
  // Wrapped lines joined: a sentence split across two lines still reads as one.
  return { doc, text: text.replace(/\s+/g, ' '), images };
}

function imageXObjects(doc: PDFDocument): number {
  let n = 0;
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), Object as never) as PDFDict | undefined;
    for (const [, ref] of xobjects?.entries() ?? []) {
      const obj = doc.context.lookup(ref) as { dict?: PDFDict };
      if (obj.dict?.get(PDFName.of('Subtype'))?.toString() === '/Image') n++;
    }
  }
  return n;
}

describe('prescriber from the directory', () => {
  it('gives the ordonnance its name, RPPS, structure address and AM number', async () => {
    const p = await platform.getPrescriberDetails(DEMO_GP_ID);
    expect(p).toMatchObject({
      prefix: 'Dr',
      givenName: 'Hélène',
      familyName: 'DUFAU',
      rpps: '99700001011',
      roleLabel: 'Médecin généraliste',
      specialty: 'Médecine générale',
      structure: { name: 'MSP des Arènes, Mont-de-Marsan', identifier: { kind: 'AM' }, address: ['12 rue des Arènes', '40000 Mont-de-Marsan'] },
    });
    expect(p.structure.identifier!.value).toMatch(/^\d{9}$/);
  });

  it('gives a hospital physician the FINESS of the establishment', async () => {
    const p = await platform.getPrescriberDetails('prac-bergeron');
    expect(p.structure.identifier).toEqual({ kind: 'FINESS', value: '400099991' });
  });
});

describe('prescription sent through the outbox to the sandbox', () => {
  it('creates one MedicationRequest per line sharing the groupIdentifier, the journal entry with the PDF, and the panel lists them', async () => {
    const store = new LocalStore(join(dir, 'store.db'));
    const events = new EventBus();
    const outbox = new Outbox({ store, platform, events, professional, random: () => 0.5 });
    const patient = await platform.getPatient(patientId);
    store.upsertPatient(patient);
    const feature = createPrescriptionsFeature(testFeatureContext({ platform, store, outbox, events, professional }));
    registerWriters(outbox, feature.writers);
    try {
      await feature.handlers['prescription.draft.save']({ patientId, draft: DRAFT });
      const { item, prescriptionId } = await feature.handlers['prescription.post']({ patientId, draft: DRAFT });
      expect(item.status).toBe('queued');
      // Durably queued: the draft is gone, the audit trail says who prescribed for whom.
      expect(await feature.handlers['prescription.draft.get']({ patientId })).toBeNull();
      expect(store.auditTrail().some((a) => a.action === 'prescription.post' && a.patientId === patientId)).toBe(true);

      await outbox.drain();
      expect(outbox.get(item.id)?.status).toBe('sent');

      const mrs = (await search<MedicationRequest>(`MedicationRequest?subject=Patient/${patientId}&_count=500`)).filter(
        (m) => m.groupIdentifier?.value === prescriptionId,
      );
      expect(mrs).toHaveLength(2);
      for (const m of mrs) {
        expect(m).toMatchObject({ status: 'active', intent: 'order', requester: { reference: `Practitioner/${DEMO_GP_ID}` } });
        expect(m.groupIdentifier?.system).toBe(PRESCRIPTION_ID_SYSTEM);
      }
      const bisoprolol = mrs.find((m) => m.medicationCodeableConcept?.text?.startsWith('Bisoprolol'))!;
      expect(bisoprolol.dispenseRequest?.numberOfRepeatsAllowed).toBe(2);
      expect(bisoprolol.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === PRESCRIPTION_ZONE_SYSTEM)?.code).toBe('ald');
      expect(bisoprolol.dosageInstruction?.[0]?.timing?.repeat?.when).toEqual(['MORN']);

      const docs = await search<DocumentReference>(`DocumentReference?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${item.id}`)}`);
      expect(docs).toHaveLength(1);
      // Medical content: labelled restricted, so a secretary's searches never return it.
      expect(docs[0]!.securityLabel?.flatMap((l) => l.coding ?? []).map((c) => c.code)).toContain('R');
      const pdfAttachment = docs[0]!.content.find((c) => c.attachment.contentType === 'application/pdf')!.attachment;
      const { data } = await platform.fetchAttachment(new URL(pdfAttachment.url!, `${sandbox.url}/`).href);
      const { text } = await pdfText(data);
      expect(text).toContain('Bisoprolol 2,5 mg, comprimé');

      const panels = await platform.getPatientPanels(patientId, { professionalId: DEMO_GP_ID, from: new Date().toISOString() });
      const shown = panels.treatments.filter((t) => mrs.some((m) => m.id === t.id));
      expect(shown.map((t) => t.medication).sort()).toEqual(['Bisoprolol 2,5 mg, comprimé', 'Paracétamol 1 g, comprimé']);
    } finally {
      await outbox.stop();
      outbox.close();
      store.close();
    }
  });

  it('is idempotent on the client id: a retried line is the same MedicationRequest', async () => {
    const order = {
      clientId: `retry-${Date.now()}/0`,
      prescriptionId: '7f9f5c39-63a6-4b77-8b6e-0d4d7c5e2a10',
      patientId,
      requester: { practitionerId: DEMO_GP_ID, display: 'Dr Hélène DUFAU' },
      authoredOn: new Date().toISOString(),
      line: { medication: 'Amoxicilline 1 g, comprimé', posology: '1 comprimé matin et soir', route: 'voie orale', durationDays: 7, packs: null, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null },
      weightKg: null,
    };
    const first = await platform.createMedicationRequest(order);
    const again = await platform.createMedicationRequest(order);
    expect(again.id).toBe(first.id);
    const found = await search<MedicationRequest>(`MedicationRequest?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${order.clientId}`)}`);
    expect(found.map((m) => m.id)).toEqual([first.id]);
  });

  it('refuses an incomplete prescription with INVALID_INPUT on the first wrong field and keeps the draft as typed', async () => {
    const store = new LocalStore(join(dir, 'store.db'));
    const events = new EventBus();
    const outbox = new Outbox({ store, platform, events, professional });
    store.upsertPatient(await platform.getPatient(patientId));
    const feature = createPrescriptionsFeature(testFeatureContext({ platform, store, outbox, events, professional }));
    registerWriters(outbox, feature.writers);
    const bad: PrescriptionDraftContent = { lines: [line('x', { medication: 'Amoxicilline', posology: '', durationDays: 'une semaine' })], weightKg: '' };
    try {
      await expect(feature.handlers['prescription.post']({ patientId, draft: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'lines.0.posology' });
      expect(await feature.handlers['prescription.draft.get']({ patientId })).toMatchObject({ lines: bad.lines, weightKg: '' });
      expect(outbox.counts().queued).toBe(0);
    } finally {
      outbox.close();
      store.close();
    }
  });
});

describe('prescription drafts', () => {
  it('survive closing and reopening the store, exactly as typed', () => {
    const path = join(dir, 'store.db');
    let store = new LocalStore(path);
    const typed: PrescriptionDraftContent = { lines: [line('k1', { medication: 'Amoxi', durationDays: '7 j', renewals: '' })], weightKg: '18,' };
    store.prescriptionDrafts.save('pat-01', typed, '2026-03-12T10:00:00.000Z');
    store.close();
    store = new LocalStore(path);
    expect(store.prescriptionDrafts.get('pat-01')).toEqual({ patientId: 'pat-01', ...typed, updatedAt: '2026-03-12T10:00:00.000Z' });
    expect(store.prescriptionDrafts.get('pat-02')).toBeNull();
    // An emptied draft is removed rather than kept blank.
    expect(store.prescriptionDrafts.save('pat-01', { lines: [emptyPrescriptionLine('k1')], weightKg: '' })).toBeNull();
    expect(store.prescriptionDrafts.get('pat-01')).toBeNull();
    store.close();
  });
});

describe('ordonnance PDF', () => {
  const prescriber: PrescriberDetails = {
    practitionerId: DEMO_GP_ID,
    prefix: 'Dr',
    givenName: 'Hélène',
    familyName: 'DUFAU',
    rpps: '99700001011',
    roleLabel: 'Médecin généraliste',
    specialty: 'Médecine générale',
    structure: { name: 'MSP des Arènes, Mont-de-Marsan', identifier: { kind: 'AM', value: '401010100' }, address: ['12 rue des Arènes', '40000 Mont-de-Marsan'], phone: '01 99 00 01 01' },
  };
  const patient: Patient = { id: 'p', ins: null, identityStatus: 'QUAL', birthName: 'LABORDE', firstNames: ['Jeanne', 'Marie'], birthDate: '1948-05-02', sex: 'F', usedName: 'CŒUR' };
  const prescription: Prescription = {
    weightKg: 62.5,
    lines: [
      { medication: 'Bisoprolol 2,5 mg, comprimé', posology: '1 comprimé le matin', route: 'voie orale', durationDays: 90, packs: null, renewals: 2, ald: true, instructions: 'Ne pas arrêter sans l’avis du médecin ; œdèmes : consulter', drug: null, dosage: null, nonSubstitutable: null },
      { medication: 'Paracétamol 1 g, comprimé', posology: '1 comprimé 3 fois par jour', route: 'voie orale', durationDays: 5, packs: 1, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null },
    ],
  };

  it('is one A4 page with the prescriber, patient, bizone lines, renewals and the signature line', async () => {
    const bytes = await renderOrdonnancePdf({ prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', authoredOn: '2026-03-12T09:42:00Z', prescriber, patient, prescription });
    const { doc, text } = await pdfText(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    for (const expected of [
      'Dr Hélène DUFAU',
      'Médecin généraliste',
      'N° RPPS : 99700001011',
      '12 rue des Arènes',
      'Le 12 mars 2026',
      'Mme CŒUR née LABORDE Jeanne Marie',
      'Poids : 62,5 kg',
      '1. Bisoprolol 2,5 mg, comprimé',
      'À renouveler 2 fois',
      'Non renouvelable',
      'Ne pas arrêter sans l’avis du médecin ; œdèmes : consulter',
      'Signature de Dr Hélène DUFAU',
      'le 12 mars 2026 à 10:42',
    ]) {
      // œ and ’ are WinAnsi 0x9C / 0x92: read back through Latin-1 they are \x9c / \x92.
      expect(text).toContain(expected.replace('œ', '\x9c').replace('Œ', '\x8c').replace('’', '\x92'));
    }
    expect(text).toContain(ALD_ZONE_TITLE.replace('’', '\x92'));
    expect(text).toContain(OTHER_ZONE_TITLE.replace('’', '\x92'));
    // ALD line in the upper zone, the other below it.
    expect(text.indexOf('Bisoprolol')).toBeLessThan(text.indexOf('SANS RAPPORT'));
    expect(text.indexOf('SANS RAPPORT')).toBeLessThan(text.indexOf('Paracétamol'));
  });

  it('embeds the two Code 128 barcodes (RPPS, structure) 30 mm apart', async () => {
    const bytes = await renderOrdonnancePdf({ prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', authoredOn: '2026-03-12T09:42:00Z', prescriber, patient, prescription });
    const { doc, text, images } = await pdfText(bytes);
    expect(imageXObjects(doc)).toBe(2);
    expect(text).toContain('RPPS 99700001011');
    expect(text).toContain('N° AM 401010100');
    expect(images).toHaveLength(2);
    const [a, b] = images.sort((x, y) => x.x - y.x) as [{ x: number; width: number }, { x: number; width: number }];
    expect((b.x - (a.x + a.width)) / (72 / 25.4)).toBeCloseTo(BARCODE_GAP_MM, 1);
  });

  it('says « Aperçu — non valable » on a preview and never the signature line; long prescriptions flow onto more pages', async () => {
    const many: Prescription = { weightKg: null, lines: Array.from({ length: 14 }, (_, i) => ({ ...prescription.lines[1]!, medication: `Médicament n° ${i + 1}`, instructions: 'Une consigne assez longue pour occuper une deuxième ligne sur la page de l’ordonnance imprimée.' })) };
    const bytes = await renderOrdonnancePdf({ prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', authoredOn: '2026-03-12T09:42:00Z', prescriber, patient, prescription: many, preview: true });
    const { doc, text } = await pdfText(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expect(text).toContain('Aperçu — non valable'.replace('—', '\x97'));
    expect(text).not.toContain('Signature de');
    expect(text).toContain('Médicament n° 14');
    expect(text).toContain(`page ${doc.getPageCount()}/${doc.getPageCount()}`);
  });
});

describe('lines from the drug database (issue 14)', () => {
  const prescriber: PrescriberDetails = {
    practitionerId: DEMO_GP_ID,
    prefix: 'Dr',
    givenName: 'Hélène',
    familyName: 'DUFAU',
    rpps: '99700001011',
    roleLabel: 'Médecin généraliste',
    specialty: null,
    structure: { name: null, identifier: null, address: [], phone: null },
  };
  const patient: Patient = { id: 'p', ins: null, identityStatus: 'QUAL', birthName: 'MARTIN', firstNames: ['Paul'], birthDate: '1950-01-01', sex: 'M' };
  const rules = { list: null, narcotic: false, secure: false, maxDurationDays: null, fractionDays: null, refusal: null, notices: [], reinforcedMonitoring: false };
  const morphine = {
    kind: 'speciality' as const,
    cis: '60000002',
    dciLabel: 'Morphine 10 mg, gélule à libération prolongée',
    specialityName: 'SKENAN L.P. 10 mg, microgranules à libération prolongée en gélule',
    form: 'microgranules à libération prolongée en gélule',
    routes: ['orale'],
    substances: [{ code: '01234', name: 'SULFATE DE MORPHINE', dosage: '10 mg' }],
    rules: { ...rules, narcotic: true, secure: true, maxDurationDays: 28, fractionDays: 7 },
  };
  const amoxicillin = { ...morphine, kind: 'dci' as const, cis: '60000001', dciLabel: 'Amoxicilline 1 g, comprimé', specialityName: null, form: 'comprimé', substances: [{ code: '05248', name: 'Amoxicilline', dosage: '1 g' }], rules: { ...rules, list: 'I' as const } };
  const levothyrox = { ...morphine, dciLabel: 'Lévothyroxine sodique 75 µg, comprimé sécable', specialityName: 'LEVOTHYROX 75 microgrammes, comprimé sécable', form: 'comprimé sécable', substances: [{ code: '02345', name: 'LÉVOTHYROXINE SODIQUE', dosage: '75 microgrammes' }], rules };
  const draft: PrescriptionDraftContent = {
    weightKg: '',
    lines: [
      line('m', { drug: morphine, medication: 'x', dose: '1', doseUnit: 'gélule', moments: ['morning', 'evening'], durationDays: '28', packs: '2' }),
      line('a', { drug: amoxicillin, medication: 'x', dose: '1', doseUnit: 'comprimé', perDay: '2', durationDays: '7' }),
      line('l', { drug: levothyrox, medication: 'x', dose: '1', doseUnit: 'comprimé', moments: ['morning'], durationDays: '30', renewals: '2', nonSubstitutable: true, nonSubstitutableReason: 'MTE' }),
    ],
  };
  const validated = () => {
    const v = validatePrescription(draft, 76);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    return v.prescription;
  };

  it('prints DCI first, the secure line in words, « non substituable (MTE) », the window’s sex wording and « 1er »', async () => {
    const bytes = await renderOrdonnancePdf({ prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', authoredOn: '2026-12-01T09:00:00Z', prescriber, patient, prescription: validated() });
    const { text } = await pdfText(bytes);
    const latin = (s: string) => s.replace(/’/g, '\x92').replace(/—/g, '\x97').replace(/µ/g, '\xb5');
    for (const expected of [
      'Le 1er décembre 2026',
      'Sexe : Homme',
      '1. Morphine 10 mg, gélule à libération prolongée (SKENAN L.P. 10 mg',
      'une (1) gélule matin et soir pendant vingt-huit (28) jours',
      'Durée : vingt-huit (28) jours — Quantité : deux (2) boîtes',
      'Délivrance fractionnée de sept (7) jours',
      '2. Amoxicilline 1 g, comprimé',
      '1 comprimé 2 fois par jour pendant 7 jours',
      'Non substituable (MTE)',
      'Ordonnance sécurisée — nombre de spécialités prescrites : trois (3)',
    ]) {
      expect(text).toContain(latin(expected));
    }
    expect(text).not.toContain('Aperçu');
    expect(quantityText({ ...validated().lines[0]!, durationDays: 21, packs: 1 })).toBe('Durée : vingt et un (21) jours — Quantité : une (1) boîte');
  });

  it('maps each line to a MedicationRequest: contained Medication (CIS / substances), structured dosage, EDQM route, substitution', () => {
    const [m, a, l] = validated().lines.map((ln, i) =>
      buildMedicationRequest({ clientId: `c/${i}`, prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', patientId: 'p', requester: { practitionerId: DEMO_GP_ID, display: 'Dr' }, authoredOn: '2026-12-01T09:00:00Z', line: ln, weightKg: null }),
    ) as [MedicationRequest, MedicationRequest, MedicationRequest];
    expect(m.contained?.[0]).toMatchObject({
      resourceType: 'Medication',
      id: 'med',
      code: { coding: [{ system: CIS_SYSTEM, code: '60000002' }] },
      ingredient: [{ itemCodeableConcept: { coding: [{ system: ANSM_SUBSTANCE_SYSTEM, code: '01234' }], text: 'Sulfate de morphine' }, strength: { numerator: { value: 10, code: 'mg' } } }],
    });
    expect(m.medicationReference).toEqual({ reference: '#med', display: 'Morphine 10 mg, gélule à libération prolongée (SKENAN L.P. 10 mg, microgranules à libération prolongée en gélule)' });
    expect(m.dosageInstruction?.[0]).toMatchObject({
      text: '1 gélule matin et soir pendant 28 jours',
      timing: { repeat: { when: ['MORN', 'EVE'], boundsDuration: { value: 28, code: 'd' } } },
      doseAndRate: [{ doseQuantity: { value: 1, unit: 'gélule' } }],
      route: { coding: [{ system: 'http://standardterms.edqm.eu', code: '20053000' }], text: 'voie orale' },
    });
    expect(m.note?.map((n) => n.text)).toContain('Délivrance fractionnée de 7 jours');
    // A DCI line: no CIS (any speciality of the group may be dispensed), its DCI as text.
    expect((a.contained?.[0] as Medication | undefined)?.code).toEqual({ text: 'Amoxicilline 1 g, comprimé' });
    expect(a.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd' });
    expect(a.substitution).toBeUndefined();
    expect(l.substitution).toMatchObject({ allowedBoolean: false, reason: { coding: [{ code: 'MTE' }], text: 'Non substituable (MTE)' } });
    // A free-text line stays text only.
    const free = buildMedicationRequest({ clientId: 'c/9', prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', patientId: 'p', requester: { practitionerId: DEMO_GP_ID, display: 'Dr' }, authoredOn: '2026-12-01T09:00:00Z', line: validatePrescription({ lines: [line('f', { medication: 'Vaseline stérile', posology: '1 application par jour', durationDays: '10' })], weightKg: '' }, 76).ok ? (validatePrescription({ lines: [line('f', { medication: 'Vaseline stérile', posology: '1 application par jour', durationDays: '10' })], weightKg: '' }, 76) as { prescription: Prescription }).prescription.lines[0]! : (null as never), weightKg: null });
    expect(free.medicationCodeableConcept).toEqual({ text: 'Vaseline stérile' });
    expect(free.contained).toBeUndefined();
  });

  it('the core refuses a hospital-only drug with its reason, before anything is queued', async () => {
    const store = new LocalStore(join(dir, 'store.db'));
    const events = new EventBus();
    const outbox = new Outbox({ store, platform, events, professional });
    store.upsertPatient(await platform.getPatient(patientId));
    const feature = createPrescriptionsFeature(testFeatureContext({ platform, store, outbox, events, professional }));
    const hospital = { ...amoxicillin, kind: 'speciality' as const, specialityName: 'ADEMPAS 1,5 mg', rules: { ...rules, refusal: 'prescription hospitalière' } };
    try {
      await expect(
        feature.handlers['prescription.post']({ patientId, draft: { weightKg: '', lines: [line('h', { drug: hospital, medication: 'x', dose: '1', doseUnit: 'comprimé', perDay: '3', durationDays: '30' })] } }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'lines.0.medication', message: expect.stringContaining('drug-refused') });
      expect(outbox.counts().queued).toBe(0);
    } finally {
      outbox.close();
      store.close();
    }
  });
});

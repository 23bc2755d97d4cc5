/**
 * E-prescription, wired for the core (main/features/feature.ts): drafts kept as typed, the preview
 * PDF, and `prescription.post`, which enqueues one outbox row of kind `prescription` (its writer:
 * ./writer.ts). docs/fhir-mapping.md « E-prescription ».
 */
import { randomUUID } from 'node:crypto';
import {
  ageInYears,
  RelaisError,
  validatePrescription,
  type ApiRequest,
  type ApiResponse,
  type Patient,
  type Prescription,
  type PrescriptionDraftContent,
} from '../../../contract';
import type { DocumentSigner } from '../../signature/card-document-signer';
import { whileSigning } from '../../signature/signing-state';
import type { FeatureContext } from '../feature';
import type { PrescriberDetails } from './fhir-adapter';
import { renderOrdonnancePdf } from './ordonnance-pdf';
import { signOrdonnance } from './sign-ordonnance';
import { journalTextOf, prescriptionWriter, PrescriptionPayloadSchema, type PrescriptionPayload } from './writer';

export function createPrescriptionsFeature(o: FeatureContext) {
  const drafts = o.store.prescriptionDrafts;
  const now = () => o.now();
  let prescriber: PrescriberDetails | null = null;
  /** The directory entry changes rarely: read once per session, for the previews. */
  const prescriberDetails = async (): Promise<PrescriberDetails> => {
    prescriber ??= await o.track(() => o.platform.getPrescriberDetails(o.professional.id));
    return prescriber;
  };

  // A prescription the platform refused (failed-permanent) comes back as the patient's draft
  // when there is none, so what the GP typed is never lost. Once per row and process.
  const restored = new Set<string>();
  o.events.subscribe((event) => {
    if (event.type !== 'outbox-changed') return;
    for (const item of event.items) {
      if (item.kind !== 'prescription' || item.status !== 'failed-permanent' || restored.has(item.id)) continue;
      restored.add(item.id);
      if (drafts.get(item.patientId)) continue;
      const parsed = PrescriptionPayloadSchema.safeParse(o.outbox.payloadOf(item.id));
      if (parsed.success) drafts.save(item.patientId, parsed.data.draft);
    }
  });

  const validated = (patient: Patient, draft: PrescriptionDraftContent, at: Date): Prescription => {
    const result = validatePrescription(draft, ageInYears(patient.birthDate, at.toISOString().slice(0, 10)));
    if (result.ok) return result.prescription;
    const detail = result.errors.map((e) => `${e.field}: ${e.code}`).join(', ');
    throw new RelaisError('INVALID_INPUT', `prescription incomplete — ${detail}`, result.errors[0]!.field);
  };

  const knownPatient = (patientId: string): Patient => {
    o.assertKnownPatient(patientId);
    return o.store.getPatient(patientId)!;
  };

  const handlers = {
    'prescription.drugs.search': async ({ query }: ApiRequest<'prescription.drugs.search'>): Promise<ApiResponse<'prescription.drugs.search'>> => ({
      hits: o.drugs.search(query),
      release: o.drugs.release(),
    }),
    'prescription.drugs.release': async (): Promise<ApiResponse<'prescription.drugs.release'>> => o.drugs.release(),
    'prescription.draft.get': async ({ patientId }: ApiRequest<'prescription.draft.get'>): Promise<ApiResponse<'prescription.draft.get'>> =>
      drafts.get(patientId),
    'prescription.draft.save': async ({ patientId, draft }: ApiRequest<'prescription.draft.save'>): Promise<ApiResponse<'prescription.draft.save'>> => {
      o.assertKnownPatient(patientId);
      return drafts.save(patientId, draft);
    },
    'prescription.pdf': async ({ patientId, draft }: ApiRequest<'prescription.pdf'>): Promise<ApiResponse<'prescription.pdf'>> => {
      const patient = knownPatient(patientId);
      const at = now();
      const prescription = validated(patient, draft, at);
      const pdf = await renderOrdonnancePdf({
        prescriptionId: randomUUID(),
        authoredOn: at.toISOString(),
        prescriber: await prescriberDetails(),
        patient,
        prescription,
        preview: true,
      });
      return { pdfBase64: Buffer.from(pdf).toString('base64'), fileName: `Ordonnance (aperçu) ${patient.birthName}.pdf` };
    },
    'prescription.post': async ({ patientId, draft, replaces }: ApiRequest<'prescription.post'>): Promise<ApiResponse<'prescription.post'>> =>
      enqueue(patientId, draft, null, replaces),
    'prescription.sign': async ({ patientId, draft, pin, replaces }: ApiRequest<'prescription.sign'>): Promise<ApiResponse<'prescription.sign'>> => {
      const signing = o.documentSigning;
      if (signing?.kind !== 'card') throw new RelaisError('FORBIDDEN', 'no card session: the ordonnance is printed for a handwritten signature');
      // Held until the signed ordonnance is in the outbox: no update restarts the app meanwhile.
      return whileSigning(() => enqueue(patientId, draft, { signer: signing.signer, pin }, replaces));
    },
  };

  /** Validates, (signs,) enqueues: one outbox row of kind `prescription`. */
  async function enqueue(
    patientId: string,
    draft: PrescriptionDraftContent,
    card: { signer: DocumentSigner; pin: string } | null,
    /** « Modifier » on a refused ordonnance: a new one (new id, date, signature) takes its place. */
    replaces?: string,
  ): Promise<ApiResponse<'prescription.post'>> {
    const patient = knownPatient(patientId);
    // Saved first: if anything below refuses, the draft is exactly what the GP typed.
    drafts.save(patientId, draft);
    const at = now();
    const prescription = validated(patient, draft, at);
    const prescriptionId = randomUUID();
    const authoredOn = at.toISOString();
    const signing = o.documentSigning?.kind === 'demo' ? ({ kind: 'demo' } as const) : ({ kind: 'print' } as const);
    const signedPdf = card
      ? await signOrdonnance({ prescriptionId, authoredOn, prescriber: await prescriberDetails(), patient, prescription }, card.signer, card.pin)
      : null;
    const payload: PrescriptionPayload = {
      prescriptionId,
      authoredOn,
      patient,
      prescription,
      draft,
      // « Modifier » reopens the composer with it (Outbox.formOf).
      form: draft,
      ...(signedPdf ? { signedPdfBase64: signedPdf.toString('base64') } : { unsigned: signing.kind }),
    };
    const n = prescription.lines.length;
    const item = o.outbox.enqueue({
      ...(replaces ? { replaces } : {}),
      kind: 'prescription',
      patientId,
      payload,
      summary: `Ordonnance : ${n} ligne${n > 1 ? 's' : ''} (${prescription.lines.map((l) => l.medication).join(', ')})`,
      optimistic: { kind: 'treatment-change', text: journalTextOf(prescription, authoredOn) },
    });
    // The row is fsynced in the outbox: from here the prescription cannot be lost.
    drafts.clear(patientId);
    o.store.audit(o.actor, card ? 'prescription.sign' : 'prescription.post', patientId, JSON.stringify({ prescriptionId, lines: n, outboxId: item.id, signed: card !== null }));
    if (signedPdf) return { item, prescriptionId, pdfBase64: signedPdf.toString('base64') };
    // The same ordonnance the writer attaches (same id, date, lines), for the GP to print and
    // sign by hand. Offline (no prescriber details yet) the journal entry carries it later.
    let pdfBase64: string | undefined;
    try {
      const pdf = await renderOrdonnancePdf({ prescriptionId, authoredOn, prescriber: await prescriberDetails(), patient, prescription, signature: signing });
      pdfBase64 = Buffer.from(pdf).toString('base64');
    } catch {
      pdfBase64 = undefined;
    }
    return { item, prescriptionId, ...(pdfBase64 ? { pdfBase64 } : {}) };
  }
  return { handlers, writers: { prescription: prescriptionWriter } };
}

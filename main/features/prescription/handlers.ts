/**
 * E-prescription, wired for the core (main/core.ts): drafts kept as typed, the preview PDF, and
 * `prescription.post`, which enqueues one outbox row of kind `prescription`. Its writer creates
 * one MedicationRequest per line (idempotent on `<client id>/<line>`), then the ordonnance PDF as
 * a Binary and the journal entry « Ordonnance » carrying it, so the care team sees it in the
 * journal and the treatments panel lists the new lines. docs/fhir-mapping.md « E-prescription ».
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ageInYears,
  PatientSchema,
  PrescriptionDraftContentSchema,
  PrescriptionSchema,
  RelaisError,
  validatePrescription,
  type ApiRequest,
  type ApiResponse,
  type Patient,
  type Prescription,
  type PrescriptionDraftContent,
  type Professional,
} from '../../../contract';
import { auditActor } from '../../audit/audit-trail';
import type { EventBus } from '../../events';
import type { Outbox, OutboxWriter } from '../../outbox/outbox';
import type { Platform } from '../../platform/port';
import type { PrescriberDetails } from './port';
import type { LocalStore } from '../../store/store';
import { frenchDate, prescriberDisplayName, quantityText, renderOrdonnancePdf, renewalText } from './ordonnance-pdf';
import { PrescriptionDrafts } from '../../prescriptions/prescription-drafts';

/** What an outbox row of kind `prescription` carries (JSON): enough to send it after a restart. */
export const PrescriptionPayloadSchema = z.object({
  prescriptionId: z.string().uuid(),
  authoredOn: z.string(),
  /** The patient as the GP saw them when signing (printed on the ordonnance). */
  patient: PatientSchema,
  prescription: PrescriptionSchema,
  /** The draft as typed, offered again if the platform refuses the prescription. */
  draft: PrescriptionDraftContentSchema,
});
export type PrescriptionPayload = z.infer<typeof PrescriptionPayloadSchema>;

export interface PrescriptionsFeatureOptions {
  platform: Platform;
  store: LocalStore;
  outbox: Outbox;
  events: EventBus;
  professional: Professional;
  assertKnownPatient: (patientId: string) => void;
  track: <T>(call: () => Promise<T>) => Promise<T>;
  now?: () => Date;
}

/** « Ordonnance (2 lignes) » and one line per drug: the journal entry's text (searchable). */
export function journalTextOf(prescription: Prescription, authoredOn: string): string {
  const n = prescription.lines.length;
  const lines = prescription.lines.map((l, i) => {
    const qty = quantityText(l);
    return `${i + 1}. ${l.medication} — ${l.posology}${qty ? ` — ${qty}` : ''} — ${renewalText(l.renewals)}${l.ald ? ' (ALD)' : ''}`;
  });
  return [`Ordonnance du ${frenchDate(authoredOn)} (${n} ligne${n > 1 ? 's' : ''})`, ...lines].join('\n');
}

/** The outbox writer of kind `prescription`. Every step is idempotent on the row's client id. */
export const prescriptionWriter: OutboxWriter = async (raw, { clientId, patientId, professional, platform }) => {
  const payload = PrescriptionPayloadSchema.parse(raw);
  const { prescription, authoredOn, prescriptionId } = payload;
  const prescriber = await platform.getPrescriberDetails(professional.id);
  const requester = { practitionerId: professional.id, display: prescriberDisplayName(prescriber) };
  for (const [i, line] of prescription.lines.entries()) {
    await platform.createMedicationRequest({
      clientId: `${clientId}/${i}`,
      prescriptionId,
      patientId,
      requester,
      authoredOn,
      line,
      weightKg: prescription.weightKg,
    });
  }
  const pdf = await renderOrdonnancePdf({ prescriptionId, authoredOn, prescriber, patient: payload.patient, prescription });
  const bin = await platform.createBinary({ clientId: `${clientId}/pdf`, contentType: 'application/pdf', data: pdf });
  const entry = await platform.createJournalEntry({
    clientId,
    patientId,
    authorId: professional.id,
    kind: 'treatment-change',
    text: journalTextOf(prescription, authoredOn),
    date: authoredOn,
    // A prescription is medical content: the care team reads it, practice staff do not.
    confidentiality: 'medical',
    attachments: [{ contentType: 'application/pdf', title: `Ordonnance du ${frenchDate(authoredOn)}.pdf`, url: bin.url, size: pdf.length }],
  });
  return { platformId: entry.id, entry };
};

export function createPrescriptionsFeature(o: PrescriptionsFeatureOptions) {
  const drafts = new PrescriptionDrafts(o.store.sqlite);
  const now = () => o.now?.() ?? new Date();
  let prescriber: PrescriberDetails | null = null;
  /** The directory entry changes rarely: read once per session, for the previews. */
  const prescriberDetails = async (): Promise<PrescriberDetails> => {
    prescriber ??= await o.track(() => o.platform.getPrescriberDetails(o.professional.id));
    return prescriber;
  };

  o.outbox.registerWriter('prescription', prescriptionWriter);

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
    'prescription.post': async ({ patientId, draft }: ApiRequest<'prescription.post'>): Promise<ApiResponse<'prescription.post'>> => {
      const patient = knownPatient(patientId);
      // Saved first: if anything below refuses, the draft is exactly what the GP typed.
      drafts.save(patientId, draft);
      const at = now();
      const prescription = validated(patient, draft, at);
      const prescriptionId = randomUUID();
      const authoredOn = at.toISOString();
      const payload: PrescriptionPayload = { prescriptionId, authoredOn, patient, prescription, draft };
      const n = prescription.lines.length;
      const item = o.outbox.enqueue({
        kind: 'prescription',
        patientId,
        payload,
        summary: `Ordonnance : ${n} ligne${n > 1 ? 's' : ''} (${prescription.lines.map((l) => l.medication).join(', ')})`,
        optimistic: { kind: 'treatment-change', text: journalTextOf(prescription, authoredOn) },
      });
      // The row is fsynced in the outbox: from here the prescription cannot be lost.
      drafts.clear(patientId);
      o.store.audit(auditActor(o.professional), 'prescription.post', patientId, JSON.stringify({ prescriptionId, lines: n, outboxId: item.id }));
      return { item, prescriptionId };
    },
  };
  return { drafts, handlers };
}

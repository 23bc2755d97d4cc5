/**
 * The outbox writer of kind `prescription`: one MedicationRequest per line (idempotent on
 * `<client id>/<line>`), then the ordonnance PDF as a Binary and the journal entry « Ordonnance »
 * carrying it, so the care team sees it in the journal and the treatments panel lists the new
 * lines. docs/fhir-mapping.md « E-prescription ».
 */
import { z } from 'zod';
import { PatientSchema, PrescriptionDraftContentSchema, PrescriptionSchema, type Prescription } from '../../../contract';
import type { OutboxWriter } from '../../outbox/outbox';
import { frenchDate, prescriberDisplayName, quantityText, renderOrdonnancePdf, renewalText } from './ordonnance-pdf';

/** What an outbox row of kind `prescription` carries (JSON): enough to send it after a restart. */
export const PrescriptionPayloadSchema = z.object({
  prescriptionId: z.string().uuid(),
  authoredOn: z.string(),
  /** The patient as the GP saw them when signing (printed on the ordonnance). */
  patient: PatientSchema,
  prescription: PrescriptionSchema,
  /** The draft as typed, offered again if the platform refuses the prescription. */
  draft: PrescriptionDraftContentSchema,
  /** The same draft, where « Modifier » finds what was typed (Outbox.formOf); absent in rows from before it. */
  form: PrescriptionDraftContentSchema.optional(),
  /** The ordonnance signed with the CPS card (PAdES), sent as is: it cannot be rendered again. */
  signedPdfBase64: z.string().optional(),
  /** Not signed: the demo identity (« Non signée — démonstration ») or printed for a handwritten signature. */
  unsigned: z.enum(['demo', 'print']).optional(),
});
export type PrescriptionPayload = z.infer<typeof PrescriptionPayloadSchema>;

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
  const medicationRequestIds: string[] = [];
  for (const [i, line] of prescription.lines.entries()) {
    const { id } = await platform.createMedicationRequest({
      clientId: `${clientId}/${i}`,
      prescriptionId,
      patientId,
      requester,
      authoredOn,
      line,
      weightKg: prescription.weightKg,
    });
    medicationRequestIds.push(id);
  }
  const pdf = payload.signedPdfBase64
    ? Buffer.from(payload.signedPdfBase64, 'base64')
    : await renderOrdonnancePdf({
        prescriptionId,
        authoredOn,
        prescriber,
        patient: payload.patient,
        prescription,
        ...(payload.unsigned ? { signature: { kind: payload.unsigned } } : {}),
      });
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
  // The pharmacist and the home nurse of the care team get their Task (idempotent on the client id).
  await platform.notifyMedicationCircuit({
    clientId,
    patientId,
    prescriptionId,
    practitionerId: professional.id,
    requesterDisplay: requester.display,
    authoredOn,
    lines: prescription.lines,
    medicationRequestIds,
    journalEntryId: entry.id,
  });
  return { platformId: entry.id, entry };
};

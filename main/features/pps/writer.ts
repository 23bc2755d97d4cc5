/**
 * The outbox writer of kind pps-update: applies the edited PPS on the platform (If-Match on the
 * version the professional edited), then posts the « PPS mis à jour : … » journal entry, both
 * idempotent on the row's client id. A CONFLICT is permanent: pps.recoverEdit gives the edits back.
 */
import { z } from 'zod';
import { PpsEditSchema, RelaisError } from '../../../contract';
import { PermanentWriteFailure, type OutboxWriter } from '../../outbox/outbox';

/** What an outbox row of kind pps-update carries (validated again when the worker reads it). */
export const PpsUpdatePayloadSchema = z.object({
  ppsId: z.string().min(1),
  baseVersion: z.string().min(1),
  edit: PpsEditSchema,
  /** The journal line, computed at enqueue from the PPS the professional had open. */
  summary: z.string(),
  /** ISO instant of the professional's action (the journal entry's date). */
  date: z.string(),
});
export type PpsUpdatePayload = z.infer<typeof PpsUpdatePayloadSchema>;

export const ppsUpdateWriter: OutboxWriter = async (raw, { clientId, patientId, professional, platform }) => {
  const payload = PpsUpdatePayloadSchema.parse(raw);
  try {
    await platform.updatePps({ clientId, patientId, ppsId: payload.ppsId, baseVersion: payload.baseVersion, edit: payload.edit });
  } catch (error) {
    // Retrying cannot help: the PPS changed since the professional opened it. The row keeps the
    // payload; the window offers the edits again on the new version (pps.recoverEdit).
    if (error instanceof RelaisError && error.code === 'CONFLICT') throw new PermanentWriteFailure(error);
    throw error;
  }
  const entry = await platform.createJournalEntry({
    clientId,
    patientId,
    authorId: professional.id,
    kind: 'pps',
    text: payload.summary,
    date: payload.date,
    attachments: [],
  });
  return { platformId: payload.ppsId, entry };
};

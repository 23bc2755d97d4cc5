/**
 * PPS editing (« Modifier le PPS », permission pps.edit): `pps.update` enqueues the edited PPS in the
 * outbox (kind pps-update) with an optimistic « PPS mis à jour : … » journal entry; the writer
 * registered here applies it on the platform (If-Match on the version the professional edited)
 * and posts that journal entry, both idempotent on the row's client id. A CONFLICT (someone
 * changed the PPS meanwhile) is permanent: `pps.recoverEdit` gives the edits back to the window.
 */
import { z } from 'zod';
import { PpsEditSchema, RelaisError, type ApiRequest, type ApiResponse, type Professional } from '../../../contract';
import { auditActor } from '../../audit/audit-trail';
import { PermanentWriteFailure, type Outbox } from '../../outbox/outbox';
import { PanelsStore } from '../../panels/panels-store';
import type { LocalStore } from '../../store/store';
import { describePpsChanges } from './pps-summary';

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

export interface PpsFeatureOptions {
  outbox: Outbox;
  store: LocalStore;
  professional: Professional;
  assertKnownPatient(patientId: string): void;
  now?: () => Date;
}

export function createPpsFeature(o: PpsFeatureOptions) {
  const panels = new PanelsStore(o.store.sqlite);

  o.outbox.registerWriter('pps-update', async (raw, { clientId, patientId, professional, platform }) => {
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
  });

  return {
    'pps.update': async (req: ApiRequest<'pps.update'>): Promise<ApiResponse<'pps.update'>> => {
      o.assertKnownPatient(req.patientId);
      const cached = panels.getPanels(req.patientId);
      const before = cached?.pps?.id === req.ppsId ? cached.pps : null;
      const summary = describePpsChanges(before, req.edit, cached?.careTeam ?? []);
      const payload: PpsUpdatePayload = {
        ppsId: req.ppsId,
        baseVersion: req.baseVersion,
        edit: req.edit,
        summary,
        date: (o.now?.() ?? new Date()).toISOString(),
      };
      const item = o.outbox.enqueue({
        kind: 'pps-update',
        patientId: req.patientId,
        payload,
        summary,
        optimistic: { kind: 'pps', text: summary },
      });
      o.store.audit(
        auditActor(o.professional),
        'pps.update',
        req.patientId,
        JSON.stringify({ clientId: item.id, ppsId: req.ppsId, baseVersion: req.baseVersion }),
      );
      return item;
    },
    'pps.recoverEdit': async ({ patientId }: ApiRequest<'pps.recoverEdit'>): Promise<ApiResponse<'pps.recoverEdit'>> => {
      o.assertKnownPatient(patientId);
      const last = o.outbox.list(patientId).filter((i) => i.kind === 'pps-update').at(-1);
      if (!last || last.status !== 'failed-permanent') return null;
      const parsed = PpsUpdatePayloadSchema.safeParse(o.outbox.payloadOf(last.id));
      if (!parsed.success) return null;
      return { itemId: last.id, ppsId: parsed.data.ppsId, baseVersion: parsed.data.baseVersion, edit: parsed.data.edit, error: last.lastError };
    },
  };
}

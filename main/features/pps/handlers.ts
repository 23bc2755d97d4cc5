/**
 * PPS editing (« Modifier le PPS », permission pps.edit): `pps.update` enqueues the edited PPS in the
 * outbox (kind pps-update) with an optimistic « PPS mis à jour : … » journal entry; its writer
 * (./writer.ts) applies it on the platform and posts that journal entry. A CONFLICT (someone
 * changed the PPS meanwhile) is permanent: `pps.recoverEdit` gives the edits back to the window.
 */
import type { ApiRequest, ApiResponse } from '../../../contract';
import type { FeatureContext } from '../feature';
import { describePpsChanges } from './pps-summary';
import { ppsUpdateWriter, PpsUpdatePayloadSchema, type PpsUpdatePayload } from './writer';

export function createPpsFeature(o: FeatureContext) {
  const panels = o.store.panelsCache;

  const handlers = {
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
        date: o.now().toISOString(),
      };
      const item = o.outbox.enqueue({
        kind: 'pps-update',
        patientId: req.patientId,
        payload,
        summary,
        optimistic: { kind: 'pps', text: summary },
      });
      o.store.audit(
        o.actor,
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
  return { handlers, writers: { 'pps-update': ppsUpdateWriter } };
}

/**
 * « Demander l'appui de la cellule » (issue 13), wired for the core: supportRequest.create /
 * list / context and the outbox writer of kind `support-request`. Permissions are checked by the
 * core's guard (support.request; medical details also need journal.read-medical:
 * contract/method-permissions.ts); the checks here are about the input, each a RelaisError naming
 * its field.
 */
import { RelaisError, type ApiRequest, type ApiResponse, type OutboxItem, type SupportRequest } from '../../../contract';
import type { FeatureContext } from '../feature';
import type { SupportCell } from './fhir-adapter';
import { supportAnnouncement, supportRequestWriter, type SupportRequestPayload } from './writer';

const isPhysicianLabel = (label: string) => /médecin/i.test(label);

export function createSupportRequestFeature(o: FeatureContext) {
  const lastLists = new Map<string, Omit<SupportRequest, 'local'>[]>();
  const cells = new Map<string, SupportCell | null>();

  const cellOf = async (patientId: string): Promise<SupportCell | null> => {
    if (cells.has(patientId)) return cells.get(patientId)!;
    const cell = await o.track(() => o.platform.findSupportCell(patientId));
    cells.set(patientId, cell);
    return cell;
  };

  const pending = (patientId: string): SupportRequest[] =>
    o.outbox
      .list(patientId)
      .filter((i) => i.kind === 'support-request' && i.status !== 'sent')
      .map((item) => ({ item, p: o.outbox.payloadOf(item.id) as SupportRequestPayload | null }))
      .filter((r): r is { item: OutboxItem; p: SupportRequestPayload } => r.p !== null)
      .map(({ item, p }) => ({
        id: item.id,
        patientId,
        cell: p.cell.display,
        reason: p.reason,
        asks: p.asks,
        urgency: p.urgency,
        stay: p.stay ?? null,
        requester: o.requester,
        onBehalfOf: p.onBehalfOf?.display ?? null,
        authoredOn: p.authoredOn,
        steps: [],
        coordinator: null,
        status: 'requested' as const,
        local: { state: item.status === 'failed-permanent' ? ('failed' as const) : ('pending' as const), error: item.lastError },
      }))
      .reverse();

  const handlers = {
    'supportRequest.context': async ({ patientId }: ApiRequest<'supportRequest.context'>): Promise<ApiResponse<'supportRequest.context'>> => {
      o.assertKnownPatient(patientId);
      const [cell, team] = await Promise.all([cellOf(patientId), o.careTeamOf(patientId)]);
      // Active treatments: a count only (the secretary's platform answers none: she reads no treatment).
      let treatments = 0;
      try {
        const panels = await o.track(() => o.platform.getPatientPanels(patientId, { professionalId: o.professional.id, from: o.now().toISOString() }));
        treatments = panels.treatments.filter((t) => t.status === 'active').length;
      } catch (error) {
        if (!(error instanceof RelaisError)) throw error;
      }
      // Who else already acts (nurse, pharmacist, cell…): not the GPs asking, not practice staff.
      const others = team.filter((m) => !isPhysicianLabel(m.roleLabel) && !/secr/i.test(m.roleLabel) && m.roleLabel.trim() !== '');
      const inPlace = [
        ...others.map((m) => `${m.roleLabel} (${m.name})`),
        ...(treatments > 0 ? [`${treatments} traitement${treatments > 1 ? 's' : ''} en cours`] : []),
      ].join(' ; ');
      return {
        cell: cell ? { id: cell.id, name: cell.name, territory: cell.territory } : null,
        inPlace,
        treatments,
        physicians: team.filter((m) => isPhysicianLabel(m.roleLabel)).map((m) => ({ id: m.id, name: m.name })),
      };
    },

    'supportRequest.create': async (req: ApiRequest<'supportRequest.create'>): Promise<ApiResponse<'supportRequest.create'>> => {
      o.assertKnownPatient(req.patientId);
      const secretary = o.role() === 'secretary';
      if (req.stay && req.stay.to < req.stay.from) throw new RelaisError('INVALID_INPUT', 'the stay ends before it starts', 'stay');
      if (req.stay && req.stay.from < o.today()) throw new RelaisError('INVALID_INPUT', 'the stay starts in the past', 'stay');
      const cell = await cellOf(req.patientId);
      if (!cell) throw new RelaisError('INVALID_INPUT', 'no support cell covers the patient’s territory', 'cell');
      let onBehalfOf: SupportRequestPayload['onBehalfOf'];
      if (secretary || req.onBehalfOf) {
        // The secretary sends on behalf of one of the patient's GPs: never on her own.
        if (!req.onBehalfOf) throw new RelaisError('INVALID_INPUT', 'a secretary sends on behalf of a physician', 'onBehalfOf');
        const gp = (await o.careTeamOf(req.patientId)).find((m) => m.id === req.onBehalfOf && isPhysicianLabel(m.roleLabel));
        if (!gp) throw new RelaisError('INVALID_INPUT', 'not a physician of the care team', 'onBehalfOf');
        onBehalfOf = { reference: `PractitionerRole/${gp.id}`, display: `Dr ${gp.name}`.replace(/^Dr Dr /, 'Dr ') };
      }
      const inPlace = req.inPlace?.trim() || undefined;
      const medicalDetails = req.medicalDetails?.trim() || undefined;
      const payload: SupportRequestPayload = {
        patientId: req.patientId,
        cell: { reference: `HealthcareService/${cell.id}`, display: cell.name },
        owner: cell.organization ?? { reference: `HealthcareService/${cell.id}`, display: cell.name },
        reason: req.reason,
        asks: [...new Set(req.asks)],
        urgency: req.urgency ?? 'routine',
        consentBy: req.consentBy ?? 'patient',
        ...(inPlace ? { inPlace } : {}),
        ...(medicalDetails ? { medicalDetails } : {}),
        ...(req.stay ? { stay: req.stay } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
        category: secretary ? 'administrative' : 'care',
        authoredOn: o.now().toISOString(),
      };
      const item = o.outbox.enqueue({
        kind: 'support-request',
        patientId: req.patientId,
        payload,
        summary: `Demande d'appui : ${cell.name}`,
        optimistic: { kind: 'referral', text: supportAnnouncement(payload), urgent: payload.urgency === 'urgent' },
      });
      // What was done, to whom and for whom; never the reason's details (health data).
      o.store.audit(
        o.actor,
        'supportRequest.create',
        req.patientId,
        JSON.stringify({ clientId: item.id, urgency: payload.urgency, cell: payload.cell.reference, ...(onBehalfOf ? { onBehalfOf: onBehalfOf.reference } : {}) }),
      );
      return item;
    },

    'supportRequest.list': async ({ patientId }: ApiRequest<'supportRequest.list'>): Promise<ApiResponse<'supportRequest.list'>> => {
      o.assertKnownPatient(patientId);
      const local = pending(patientId);
      try {
        const fromPlatform = await o.track(() => o.platform.listSupportRequests(patientId));
        lastLists.set(patientId, fromPlatform);
        return { patientId, requests: [...local, ...fromPlatform.map((r) => ({ ...r, local: null }))], source: 'platform' };
      } catch (error) {
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) throw error;
        return { patientId, requests: [...local, ...(lastLists.get(patientId) ?? []).map((r) => ({ ...r, local: null }))], source: 'store' };
      }
    },
  };

  return { handlers, writers: { 'support-request': supportRequestWriter } };
}

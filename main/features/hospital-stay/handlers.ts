/**
 * Hospital stays (issue 13, item 3), wired for the core: the emergency fiche (PDF at once, sent
 * through the outbox), the discharges with their reconciliation, the programmed admission's
 * checklist. Permissions: contract/method-permissions.ts (the fiche and the reconciliation carry
 * treatments; the checklist is open to the secretary). Every action is audited without content.
 */
import { CHECKLIST_ITEMS, RelaisError, type ApiRequest, type ApiResponse, type ChecklistItem, type Establishment } from '../../../contract';
import type { FeatureContext } from '../feature';
import { buildEmergencyFiche } from './fiche-pdf';
import { reconcile } from './reconciliation';
import { ficheWriter, tickWriter, type FichePayload, type TickPayload } from './writers';

export const CHECKLIST_LABEL: Record<ChecklistItem, string> = {
  transport: 'Transport organisé',
  'home-help-suspended': 'Aide à domicile suspendue',
  'nurse-told': 'Infirmier(ère) prévenu(e)',
  'pharmacy-told': 'Pharmacie prévenue',
  'liaison-letter': 'Lettre de liaison envoyée',
  'treatments-sent': 'Traitements en cours envoyés',
  'pps-sent': 'PPS envoyé',
  'advance-directives': 'Directives anticipées transmises',
};

export function createHospitalStayFeature(o: FeatureContext) {
  let establishments: Establishment[] | null = null;
  const establishment = async (id: string): Promise<Establishment> => {
    establishments ??= await o.track(() => o.platform.listEstablishments());
    const found = establishments.find((e) => e.id === id);
    if (!found) throw new RelaisError('INVALID_INPUT', 'unknown establishment', 'establishmentId');
    return found;
  };
  const panelsOf = (patientId: string) => o.track(() => o.platform.getPatientPanels(patientId, { professionalId: o.professional.id, from: o.now().toISOString() }));

  const handlers = {
    'stay.establishments': async (): Promise<ApiResponse<'stay.establishments'>> => {
      establishments = await o.track(() => o.platform.listEstablishments());
      return establishments;
    },
    'stay.emergencyFiche': async (req: ApiRequest<'stay.emergencyFiche'>): Promise<ApiResponse<'stay.emergencyFiche'>> => {
      o.assertKnownPatient(req.patientId);
      // One round of reads in parallel, then the PDF: the budget is ≤ 1 s from click to PDF.
      const [est, patient, panels, extras] = await Promise.all([
        establishment(req.establishmentId),
        o.track(() => o.platform.getPatient(req.patientId)),
        panelsOf(req.patientId),
        o.track(() => o.platform.fetchFicheExtras(req.patientId)),
      ]);
      const generatedAt = o.now().toISOString();
      const pdf = await buildEmergencyFiche({
        patient,
        generatedAt,
        author: `${o.requester.name}, ${o.requester.roleLabel}`,
        establishment: est.name,
        reason: req.reason,
        treatments: panels.treatments,
        allergies: extras.allergies,
        problems: panels.pps?.problems ?? [],
        careTeam: panels.careTeam,
        contacts: extras.contacts,
        pps: panels.pps,
        advanceDirectives: extras.advanceDirectives,
      });
      const pdfBase64 = Buffer.from(pdf).toString('base64');
      const day = generatedAt.slice(0, 10);
      const payload: FichePayload = {
        patientId: req.patientId,
        establishment: { reference: `Organization/${est.id}`, display: est.name },
        text: `Fiche de liaison urgence transmise à ${est.name}${req.reason?.trim() ? ` : ${req.reason.trim()}` : ''}`,
        pdf: { contentType: 'application/pdf', title: `fiche-liaison-urgence-${day}.pdf`, dataBase64: pdfBase64 },
        generatedAt,
      };
      const item = o.outbox.enqueue({ kind: 'emergency-fiche', patientId: req.patientId, payload, summary: `Fiche de liaison urgence : ${est.name}`, optimistic: { kind: 'document', text: payload.text } });
      o.store.audit(o.actor, 'stay.emergencyFiche', req.patientId, JSON.stringify({ clientId: item.id, establishment: payload.establishment.reference }));
      return { item, pdfBase64 };
    },

    'stay.discharges': async ({ patientId }: ApiRequest<'stay.discharges'>): Promise<ApiResponse<'stay.discharges'>> => {
      o.assertKnownPatient(patientId);
      const [letters, panels] = await Promise.all([o.track(() => o.platform.listDischargeLetters(patientId)), panelsOf(patientId)]);
      // « Before » is what was active on the platform before the letter; treatments the
      // establishment's discharge added are on the letter, not yet in MedicationRequest.
      const before = panels.treatments.filter((t) => t.status === 'active').map((t) => ({ medication: t.medication, posology: t.posology }));
      o.store.audit(o.actor, 'stay.discharges', patientId, JSON.stringify({ letters: letters.length }));
      return letters.map((l) => ({ id: l.id, establishment: l.establishment, date: l.date, title: l.title, letterUrl: l.letterUrl, rows: reconcile(before, l.after) }));
    },

    'stay.checklist': async ({ patientId, admissionId }: ApiRequest<'stay.checklist'>): Promise<ApiResponse<'stay.checklist'>> => {
      o.assertKnownPatient(patientId);
      const ticks = await o.track(() => o.platform.listChecklistTicks(admissionId));
      const pending = new Set(
        o.outbox
          .list(patientId)
          .filter((i) => i.kind === 'checklist-tick' && i.status !== 'sent')
          .map((i) => o.outbox.payloadOf(i.id) as TickPayload | null)
          .filter((p): p is TickPayload => p !== null && p.admissionId === admissionId)
          .map((p) => p.item),
      );
      return {
        admissionId,
        items: CHECKLIST_ITEMS.map((item) => {
          const t = ticks.find((x) => x.item === item);
          return { item, doneBy: t?.doneBy ?? (pending.has(item) ? o.requester.name : null), doneAt: t?.doneAt ?? null, pending: !t && pending.has(item) };
        }),
      };
    },

    'stay.checklist.tick': async (req: ApiRequest<'stay.checklist.tick'>): Promise<ApiResponse<'stay.checklist.tick'>> => {
      o.assertKnownPatient(req.patientId);
      const at = o.now().toISOString();
      const label = CHECKLIST_LABEL[req.item];
      const payload: TickPayload = { patientId: req.patientId, admissionId: req.admissionId, item: req.item, label, at, text: `Préparation de l'hospitalisation : ${label} (fait par ${o.requester.name})` };
      const item = o.outbox.enqueue({ kind: 'checklist-tick', patientId: req.patientId, payload, summary: `Checklist : ${label}`, optimistic: { kind: 'hospitalisation', text: payload.text, category: 'administrative' } });
      o.store.audit(o.actor, 'stay.checklist.tick', req.patientId, JSON.stringify({ clientId: item.id, admission: req.admissionId, item: req.item }));
      return item;
    },
  };

  return { handlers, writers: { 'emergency-fiche': ficheWriter, 'checklist-tick': tickWriter } };
}

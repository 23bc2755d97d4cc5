/**
 * Identity vigilance: Relais never opens a patient on an INS alone when the launch's traits
 * disagree, and never picks a patient itself when a launch carries no INS. Either way the launch
 * waits for the professional (identity-confirmation-required / patient-candidates events), who
 * answers with patient.confirmIdentity / patient.choose; every step is in the audit trail.
 * What waits is short-lived and kept in memory only.
 */
import { randomUUID } from 'node:crypto';
import { RelaisError, type LaunchContext, type OpenedPatient, type Patient, type TraitDiscrepancy } from '../../../contract';
import type { FeatureContext } from '../feature';

/** A pending confirmation older than this is forgotten (the professional walked away). */
const CONFIRMATION_TTL_MS = 10 * 60_000;

export type IdentityContext = Pick<FeatureContext, 'platform' | 'store' | 'events' | 'actor' | 'track' | 'journal'>;

export class IdentityVigilance {
  /** Launches waiting for the professional to compare traits. */
  private readonly pendingConfirmations = new Map<
    string,
    { context: LaunchContext; patient: Patient; discrepancies: TraitDiscrepancy[]; channel: string; at: number }
  >();
  private readonly pendingSelections = new Map<string, { context: LaunchContext; candidates: Patient[]; channel: string; at: number }>();

  constructor(
    private readonly o: IdentityContext,
    /** Opens the patient the professional confirmed or chose (patient feature). */
    private readonly show: (patient: Patient, channel: string, launch?: LaunchContext) => Promise<OpenedPatient>,
  ) {}

  /**
   * The traits disagree: the launch waits for the professional, who sees both sets of traits;
   * the discrepancy is in the audit trail.
   */
  askConfirmation(context: LaunchContext, patient: Patient, discrepancies: TraitDiscrepancy[], channel: string): never {
    const now = Date.now();
    for (const [id, p] of this.pendingConfirmations) if (now - p.at > CONFIRMATION_TTL_MS) this.pendingConfirmations.delete(id);
    const confirmationId = randomUUID();
    this.pendingConfirmations.set(confirmationId, { context, patient, discrepancies, channel, at: now });
    this.o.store.audit(this.o.actor, 'identity.discrepancy', patient.id, JSON.stringify({ channel, fields: discrepancies.map((d) => d.field) }));
    this.o.events.emit({ type: 'identity-confirmation-required', confirmationId, launch: context, patient, discrepancies });
    throw new RelaisError('IDENTITY_MISMATCH', `traits differ: ${discrepancies.map((d) => d.field).join(', ')}`);
  }

  /**
   * A launch without INS: the platform is searched by traits and every candidate is shown; the
   * professional chooses (or declines). Relais never picks one, even a single exact match.
   */
  async askSelection(context: LaunchContext, channel: string): Promise<never> {
    const candidates = await this.o.track(() =>
      this.o.platform.searchPatientsByTraits({ birthName: context.birthName, birthDate: context.birthDate, sex: context.sex }),
    );
    if (candidates.length === 0) throw new RelaisError('PATIENT_NOT_FOUND', 'no patient with these traits on the platform');
    const selectionId = randomUUID();
    this.pendingSelections.set(selectionId, { context, candidates, channel, at: Date.now() });
    this.o.store.audit(this.o.actor, 'identity.candidates', null, JSON.stringify({ channel, count: candidates.length }));
    this.o.events.emit({ type: 'patient-candidates', selectionId, launch: context, candidates });
    throw new RelaisError('PATIENT_SELECTION_REQUIRED', `${candidates.length} candidate(s): the professional must choose`);
  }

  /** patient.choose: the professional's pick among the candidates (null: none of them). */
  async choose(selectionId: string, patientId: string | null): Promise<{ opened: OpenedPatient | null }> {
    const pending = this.pendingSelections.get(selectionId);
    if (!pending) throw new RelaisError('INVALID_INPUT', 'no pending patient selection with this id', 'selectionId');
    const chosen = patientId === null ? null : pending.candidates.find((c) => c.id === patientId);
    if (chosen === undefined) throw new RelaisError('INVALID_INPUT', 'not one of the candidates', 'patientId');
    this.pendingSelections.delete(selectionId);
    const detail = JSON.stringify({ channel: pending.channel, candidates: pending.candidates.map((c) => c.id) });
    this.o.store.audit(this.o.actor, chosen ? 'identity.selected' : 'identity.none-selected', chosen?.id ?? null, detail);
    if (!chosen) return { opened: null };
    this.o.store.upsertPatient(chosen);
    return { opened: await this.show(chosen, `${pending.channel}+selected`, pending.context) };
  }

  /** patient.confirmIdentity: the professional's answer to a discrepancy (single use). */
  async confirm(confirmationId: string, confirmed: boolean): Promise<{ opened: OpenedPatient | null }> {
    const pending = this.pendingConfirmations.get(confirmationId);
    if (!pending) throw new RelaisError('INVALID_INPUT', 'no pending identity confirmation with this id', 'confirmationId');
    this.pendingConfirmations.delete(confirmationId);
    const detail = JSON.stringify({
      channel: pending.channel,
      discrepancies: pending.discrepancies.map((d) => d.field),
    });
    this.o.store.audit(this.o.actor, confirmed ? 'identity.confirmed' : 'identity.rejected', pending.patient.id, detail);
    if (!confirmed) return { opened: null };
    return { opened: await this.show(pending.patient, `${pending.channel}+confirmed`, pending.context) };
  }
}

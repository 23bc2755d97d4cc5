/**
 * Outbox writer for kind `alert-handle` (« Prendre en compte », issue 15): adds the alert-handled
 * extension to the Flag (fhir-adapter.ts handleAlert). Idempotent: a Flag already handled — by this
 * row's first attempt or by a colleague — is left as it is. A 412 (the Flag changed meanwhile) is
 * retried by the outbox: the next attempt reads the new version first.
 */
import type { OutboxWriter } from '../../outbox/outbox';
import { requesterOf } from '../feature';

/** What an alert-handle row carries (JSON in outbox.payload). */
export interface AlertHandlePayload {
  patientId: string;
  alertId: string;
  /** ISO instant the professional clicked « Prendre en compte ». */
  at: string;
}

export const alertHandleWriter: OutboxWriter = async (payload, { professional, platform }) => {
  const p = payload as AlertHandlePayload;
  const by = { reference: `Practitioner/${professional.id}`, display: requesterOf(professional).name };
  const alert = await platform.handleAlert(p.alertId, { by, at: p.at });
  return { platformId: alert.id };
};

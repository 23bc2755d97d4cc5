import type { PpsEdit } from '../../../contract';

/** One PPS update as the outbox sends it (kind pps-update). */
export interface PpsUpdate {
  /** The outbox row's client id: the idempotency key of the update and of the Goals it creates. */
  clientId: string;
  patientId: string;
  /** CarePlan id. */
  ppsId: string;
  /** CarePlan version the professional edited (If-Match). */
  baseVersion: string;
  edit: PpsEdit;
}

/** PPS editing part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface PpsPort {
  /**
   * Applies the edit to the CarePlan and its Goals (Goal creates with If-None-Exist on the client
   * id, updates and the CarePlan PUT with If-Match). CONFLICT when the CarePlan (or an edited
   * Goal) is no longer at the version the professional edited — unless it moved on because of
   * this very update (a retry after a lost answer), which answers the current version.
   */
  updatePps(update: PpsUpdate): Promise<{ version: string }>;
}

import type { Alert, CareTask, PatientPanels, TaskStatus } from '../../../contract';

/** The panels of a patient as the platform gives them (the core adds source / fetchedAt). */
export type PlatformPanels = Omit<PatientPanels, 'source' | 'fetchedAt'>;

export interface PanelsFetchOptions {
  /** Practitioner id of the signed-in professional (tasks: `mine`). */
  professionalId: string;
  /** ISO instant: appointments starting from then on (the agenda shows what is to come). */
  from: string;
}

export interface AlertsBatch {
  alerts: Alert[];
  /**
   * Greatest `meta.lastUpdated` among the answers, in the platform's clock: the `since` of the
   * next poll (null when nothing matched and no `since` was given).
   */
  watermark: string | null;
  /** Flags of these patients changed since `since` and no longer active (closed, resolved). */
  inactiveIds: string[];
}

/** Panels and alerts part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface PanelsPort {
  getPatientPanels(patientId: string, options: PanelsFetchOptions): Promise<PlatformPanels>;
  /**
   * Moves a task owned by the professional to `status` (FHIR Task update with
   * `If-Match: W/"<version>"`; the version given, else the current one). CONFLICT on 409/412,
   * FORBIDDEN when the task is not theirs, INVALID_INPUT for a move backwards.
   */
  updateTaskStatus(taskId: string, status: TaskStatus, options: { professionalId: string; version?: string }): Promise<CareTask>;
  /** Active alerts (Flag) of these patients, changed at or after `since` when given. */
  fetchActiveAlerts(patientIds: readonly string[], options?: { since?: string }): Promise<AlertsBatch>;
}

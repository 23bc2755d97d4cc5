import type { Database } from 'better-sqlite3';

export interface SyncProgress {
  startedAt: string;
  since: string | null;
  resumeUrl: string | null;
}

/**
 * Tables `sync_state` (migration 001: when a patient's journal was last synced) and
 * `sync_progress` (migration 006: where an interrupted sync resumes).
 */
export class SyncStateRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      getSyncedAt: db.prepare(`SELECT synced_at FROM sync_state WHERE patient_id = ?`).pluck(),
      setSyncedAt: db.prepare(
        `INSERT INTO sync_state (patient_id, synced_at) VALUES (?, ?) ON CONFLICT(patient_id) DO UPDATE SET synced_at = excluded.synced_at`,
      ),
      forgetSyncedAt: db.prepare(`DELETE FROM sync_state WHERE patient_id = ?`),
      getProgress: db.prepare(
        `SELECT started_at AS startedAt, since, resume_url AS resumeUrl FROM sync_progress WHERE patient_id = ?`,
      ),
      setProgress: db.prepare(
        `INSERT INTO sync_progress (patient_id, started_at, since, resume_url) VALUES (?, ?, ?, ?)
         ON CONFLICT(patient_id) DO UPDATE SET started_at = excluded.started_at, since = excluded.since, resume_url = excluded.resume_url`,
      ),
      clearProgress: db.prepare(`DELETE FROM sync_progress WHERE patient_id = ?`),
    };
  }

  getSyncedAt(patientId: string): string | null {
    return (this.stmts.getSyncedAt.get(patientId) as string | undefined) ?? null;
  }

  setSyncedAt(patientId: string, at: string): void {
    this.stmts.setSyncedAt.run(patientId, at);
  }

  getProgress(patientId: string): SyncProgress | null {
    return (this.stmts.getProgress.get(patientId) as SyncProgress | undefined) ?? null;
  }

  setProgress(patientId: string, progress: SyncProgress): void {
    this.stmts.setProgress.run(patientId, progress.startedAt, progress.since, progress.resumeUrl);
  }

  clearProgress(patientId: string): void {
    this.stmts.clearProgress.run(patientId);
  }

  /** Both rows of the patient (its journal is dropped and will be fetched again in full). */
  forgetPatient(patientId: string): void {
    this.stmts.forgetSyncedAt.run(patientId);
    this.stmts.clearProgress.run(patientId);
  }
}

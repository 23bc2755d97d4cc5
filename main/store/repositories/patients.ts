import type { Database } from 'better-sqlite3';
import { PatientSchema, type Patient } from '../../../contract';

/** Table `patients` (migration 001): the validated Patient as JSON, the INS value for lookup. */
export class PatientsRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO patients (id, ins_value, json, stored_at) VALUES (@id, @ins, @json, @at)
         ON CONFLICT(id) DO UPDATE SET ins_value = excluded.ins_value, json = excluded.json, stored_at = excluded.stored_at`,
      ),
      byId: db.prepare(`SELECT json FROM patients WHERE id = ?`).pluck(),
      byIns: db.prepare(`SELECT json FROM patients WHERE ins_value = ? LIMIT 1`).pluck(),
      all: db.prepare(`SELECT json FROM patients`).pluck(),
    };
  }

  upsert(patient: Patient, at: string = new Date().toISOString()): void {
    this.stmts.upsert.run({ id: patient.id, ins: patient.ins?.value ?? null, json: JSON.stringify(patient), at });
  }

  get(id: string): Patient | null {
    const json = this.stmts.byId.get(id) as string | undefined;
    return json === undefined ? null : PatientSchema.parse(JSON.parse(json));
  }

  findByIns(insValue: string): Patient | null {
    const json = this.stmts.byIns.get(insValue) as string | undefined;
    return json === undefined ? null : PatientSchema.parse(JSON.parse(json));
  }

  list(): Patient[] {
    return (this.stmts.all.all() as string[]).map((j) => PatientSchema.parse(JSON.parse(j)));
  }
}

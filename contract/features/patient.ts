import { z } from 'zod';
import { PatientSchema } from '../domain';
import { LaunchContextSchema } from '../launch';

/** Opening a patient (a launch, or the window's list) and the answers identity vigilance waits for. */
export const OpenedPatientSchema = z.object({
  patient: PatientSchema,
  /** True when the journal was already in the local store and could paint at once. */
  cached: z.boolean(),
});
export type OpenedPatient = z.infer<typeof OpenedPatientSchema>;

export const PATIENT_API = {
  'patient.open': { request: LaunchContextSchema, response: OpenedPatientSchema },
  'patient.list': { request: z.object({}).strict(), response: z.array(PatientSchema) },
  /** The professional's answer to an identity-confirmation-required event. */
  'patient.confirmIdentity': {
    request: z.object({ confirmationId: z.string().min(1).max(64), confirmed: z.boolean() }).strict(),
    response: z.object({ opened: OpenedPatientSchema.nullable() }),
  },
  /** The professional's choice among patient-candidates (null: none of them). */
  'patient.choose': {
    request: z.object({ selectionId: z.string().min(1).max(64), patientId: z.string().min(1).max(64).nullable() }).strict(),
    response: z.object({ opened: OpenedPatientSchema.nullable() }),
  },
} as const;

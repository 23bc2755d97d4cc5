import { z } from 'zod';
import { InsSchema, StrictTraitsSchema } from './domain';
import { isValidRpps } from './rpps';

/** What the practice software (LGC) tells Relais about the patient on screen. */
export const LaunchContextSchema = StrictTraitsSchema.extend({
  /** Absent when the practice software has no INS yet: candidates are searched by traits. */
  ins: InsSchema.optional(),
  lgcPatientId: z.string().max(64).optional(),
  practitionerRpps: z.string().refine(isValidRpps, 'RPPS: 11 digits with a valid check digit').optional(),
});
export type LaunchContext = z.infer<typeof LaunchContextSchema>;

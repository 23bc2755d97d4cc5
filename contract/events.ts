import { z } from 'zod';
import { JournalEntrySchema, PatientSchema } from './domain';
import { RelaisErrorSchema } from './errors';

export const RelaisEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('patient-changed'), patient: PatientSchema, cached: z.boolean() }),
  z.object({
    type: z.literal('journal-updated'),
    patientId: z.string(),
    /** The newest page after a refresh from the platform, newest first. */
    entries: z.array(JournalEntrySchema),
    total: z.number().int().nonnegative(),
    syncedAt: z.string(),
  }),
  /** A launch (URL, command line, CLI) was refused: the window shows why. */
  z.object({ type: z.literal('launch-failed'), error: RelaisErrorSchema }),
  /** A background refresh failed; the journal stays on screen from the store. */
  z.object({ type: z.literal('sync-failed'), patientId: z.string(), error: RelaisErrorSchema }),
]);
export type RelaisEvent = z.infer<typeof RelaisEventSchema>;
export type RelaisEventType = RelaisEvent['type'];

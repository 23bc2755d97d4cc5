import { z } from 'zod';
import { JournalEntrySchema, PatientSchema, TraitDiscrepancySchema } from './domain';
import { LaunchContextSchema } from './launch';
import { RelaisErrorSchema } from './errors';
import { AlertSchema } from './features/panels';
import { JournalPageSchema } from './features/journal';
import { OutboxItemSchema } from './outbox';
import { AuthStatusSchema } from './auth';

export const RelaisEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('patient-changed'),
    patient: PatientSchema,
    cached: z.boolean(),
    /**
     * The journal's newest page (JOURNAL_FIRST_PAGE_SIZE entries, no filter) when the store has
     * the patient: the window paints it with the patient, without asking journal.page first.
     */
    firstPage: JournalPageSchema.optional(),
  }),
  z.object({
    type: z.literal('journal-updated'),
    patientId: z.string(),
    /**
     * The newest page after a refresh from the platform, newest first; empty when the refresh
     * stored nothing (the window's page stands: only `total` and `syncedAt` are news).
     */
    entries: z.array(JournalEntrySchema),
    total: z.number().int().nonnegative(),
    syncedAt: z.string(),
    /**
     * A background pass stored entries that were not there (the other side's answer, a step):
     * what the panels show may be older than them however recently it was fetched.
     */
    news: z.boolean().optional(),
  }),
  /**
   * The practice software's traits differ from the platform's: the window shows both side by side
   * and the professional confirms (or not) through patient.confirmIdentity.
   */
  z.object({
    type: z.literal('identity-confirmation-required'),
    confirmationId: z.string(),
    launch: LaunchContextSchema,
    patient: PatientSchema,
    discrepancies: z.array(TraitDiscrepancySchema).min(1),
  }),
  /** A launch without INS: the patients matching its traits, for the professional to choose from. */
  z.object({
    type: z.literal('patient-candidates'),
    selectionId: z.string(),
    launch: LaunchContextSchema,
    candidates: z.array(PatientSchema).min(1),
  }),
  /** The practice software shows another patient while "follow" is off: offered, not opened. */
  z.object({ type: z.literal('lgc-context-changed'), launch: LaunchContextSchema }),
  /**
   * A launch named a practitioner (its `rpps`) other than the one signed in: the patient is
   * opened all the same (the patient is right), the window warns and the audit trail has it.
   */
  z.object({ type: z.literal('practitioner-mismatch'), patientId: z.string(), launchedRpps: z.string() }),
  /** A launch (URL, command line, CLI) was refused: the window shows why. */
  z.object({ type: z.literal('launch-failed'), error: RelaisErrorSchema }),
  /**
   * Background sync of every followed patient: progress for the indicator, and the platform's
   * reachability (offline: the journal is read from the store, reconnection is automatic).
   */
  z.object({
    type: z.literal('sync-status'),
    state: z.enum(['running', 'idle', 'offline']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** ISO instant of the last complete pass over all followed patients. */
    lastCompleteAt: z.string().nullable(),
  }),
  /**
   * Progressive open of a never-synced patient: the newest page is on screen, older entries are
   * being back-filled (`stored` so far, of `total` when the platform says); `done` ends it.
   */
  z.object({
    type: z.literal('journal-backfill'),
    patientId: z.string(),
    stored: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
    done: z.boolean(),
  }),
  /** A background refresh failed; the journal stays on screen from the store. */
  z.object({ type: z.literal('sync-failed'), patientId: z.string(), error: RelaisErrorSchema }),
  /** The outbox changed (enqueue, send, failure): the items as outbox.list answers them. */
  z.object({ type: z.literal('outbox-changed'), items: z.array(OutboxItemSchema) }),
  /** A new alert (FHIR Flag) on a followed patient: announced once (main/features/panels/alert-watcher.ts). */
  /** The session locked (card removed, idle, manual): the window hides patient data. */
  z.object({ type: z.literal('session-locked'), reason: z.enum(['card-removed', 'idle', 'manual']) }),
  z.object({ type: z.literal('session-unlocked') }),
  /** The platform token expired: the window asks for the PIN again, keeping what is on screen. */
  z.object({ type: z.literal('sign-in-required'), reason: z.enum(['token-expired']) }),
  /** Signed in, out, switched profile, card inserted or removed on the sign-in screen (contract/auth.ts). */
  z.object({ type: z.literal('auth-changed'), status: AuthStatusSchema }),
  z.object({ type: z.literal('alert-raised'), patient: PatientSchema, alert: AlertSchema, unacknowledged: z.number().int().nonnegative() }),
  /** An alert was taken into account (here or by a colleague): `unacknowledged` is the new count of unhandled alerts. */
  z.object({ type: z.literal('alert-handled'), patientId: z.string(), alertId: z.string(), unacknowledged: z.number().int().nonnegative() }),
]);
export type RelaisEvent = z.infer<typeof RelaisEventSchema>;
export type RelaisEventType = RelaisEvent['type'];

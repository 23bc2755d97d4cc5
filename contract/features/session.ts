import { z } from 'zod';
import { ProfessionalSchema } from '../domain';
import { PermissionSchema, RoleSchema } from '../roles';

/** The signed-in session as the window sees it, and the per-machine setting of following the practice software. */
export const SessionSchema = z.object({
  professional: ProfessionalSchema,
  /** True when signed in with the built-in demo identity rather than a card. */
  demo: z.boolean(),
  platformUrl: z.string(),
  online: z.boolean(),
  /** Relais switches to the patient the practice software shows (context file). */
  followLgc: z.boolean(),
  /** Session lock (main/session/lock.ts): patient calls are refused while locked. */
  locked: z.boolean().optional(),
  lockReason: z.enum(['card-removed', 'idle', 'manual']).nullable().optional(),
  /** The card the session was opened with (null: demo identity, no card). */
  card: z.object({ kind: z.enum(['CPS', 'CPE']), idNatPs: z.string() }).nullable().optional(),
  /** How the session was opened: a Pro Santé Connect session unlocks with a new PSC sign-in, not a PIN. */
  method: z.enum(['card', 'demo', 'psc']).nullable().optional(),
  /** Derived from profession and card type (contract/roles.ts); the UI hides what it cannot do. */
  role: RoleSchema,
  permissions: z.array(PermissionSchema),
});
export type Session = z.infer<typeof SessionSchema>;

export const SESSION_API = {
  'session.current': { request: z.object({}).strict(), response: SessionSchema },
  /** Locks the session now (window button, tray « Verrouiller »). */
  'session.lock': { request: z.object({}).strict(), response: z.object({ locked: z.literal(true) }) },
  /**
   * Unlocks with the card PIN (and signs in to the platform again): PIN_INCORRECT (triesLeft),
   * PIN_LOCKED, CARD_REMOVED. Also answers sign-in-required. The PIN is never stored or logged.
   */
  'session.unlock': {
    request: z.object({ pin: z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits') }).strict(),
    response: z.object({ locked: z.literal(false) }),
  },
  'settings.followLgc': {
    request: z.object({ enabled: z.boolean() }).strict(),
    response: z.object({ followLgc: z.boolean() }),
  },
} as const;

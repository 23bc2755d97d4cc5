import { z } from 'zod';
import { ProfessionalSchema } from './domain';

/**
 * Signing in to Relais (issue 6). The hosts start without a professional: the window shows the
 * sign-in screen (card + PIN, or the demo identity when no card is present and the install
 * allows it); the core of the signed-in professional — their encrypted store, their rights — is
 * opened only then (main/session/session-host.ts). Another card signs in → profile switch.
 */
export const CardStatusSchema = z.object({
  /** A token is in a reader. */
  present: z.boolean(),
  /** Read from the authentication certificate (no PIN needed); null when no card or unreadable. */
  holder: z
    .object({ displayName: z.string(), kind: z.enum(['CPS', 'CPE']), idNatPs: z.string(), profession: z.string().nullable() })
    .nullable(),
  /** The reader or middleware failed (French for the user is chosen by the window from this flag). */
  readerError: z.boolean(),
});
export type CardStatus = z.infer<typeof CardStatusSchema>;

export const AuthStatusSchema = z.object({
  signedIn: z.boolean(),
  professional: ProfessionalSchema.nullable(),
  /** How the current session was opened. */
  method: z.enum(['card', 'demo', 'psc']).nullable(),
  /** null: no card middleware configured on this machine. */
  card: CardStatusSchema.nullable(),
  /** The built-in demo identity may be used (no card present, install not locked to cards). */
  demoAllowed: z.boolean(),
  /** A launch from the practice software waits for the sign-in (it opens right after). */
  pendingLaunch: z.boolean(),
  /** This install has a Pro Santé Connect configuration: the window offers « Se connecter avec Pro Santé Connect ». */
  pscAvailable: z.boolean(),
  /** A Pro Santé Connect sign-in waits for the professional in the system browser. */
  pscPending: z.boolean(),
  /** false: no usable coordination platform (no URL, or plain http off the machine); every sign-in is refused PLATFORM_NOT_CONFIGURED. */
  platformConfigured: z.boolean().optional(),
  /** true: the last sign-in attempt could not reach the platform; the shell keeps trying (issue 16). */
  platformUnreachable: z.boolean().optional(),
  /** Settings the machine policy decides (the window shows them locked), and its bad keys in French. */
  machinePolicy: z.object({ locked: z.array(z.string()), problems: z.array(z.string()) }).optional(),
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

export const AUTH_API = {
  'auth.status': { request: z.object({}).strict(), response: AuthStatusSchema },
  /**
   * Card login with this PIN + platform sign-in; opens (or switches to) the holder's profile.
   * PIN_INCORRECT (triesLeft) / PIN_LOCKED / CARD_REMOVED. The PIN is never stored or logged.
   */
  'auth.signInCard': {
    request: z.object({ pin: z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits') }).strict(),
    response: AuthStatusSchema,
  },
  /**
   * Pro Santé Connect in the system browser (e-CPS app or card): resolves once the browser came
   * back and the professional's profile is open. Signed in as the same professional while
   * locked: unlocks. UNAUTHENTICATED with `reason` (CANCELLED, TIMEOUT, ACR_MISMATCH,
   * AUTHORIZATION_DENIED, UNKNOWN_PROFESSIONAL…); FORBIDDEN when the install has no PSC configuration.
   */
  'auth.signInPsc': { request: z.object({}).strict(), response: AuthStatusSchema },
  /** Abandons the Pro Santé Connect sign-in waiting in the browser (it then fails with reason CANCELLED). */
  'auth.cancelPsc': { request: z.object({}).strict(), response: AuthStatusSchema },
  /** The demo identity (FORBIDDEN when a card is present or the install refuses demo). */
  'auth.signInDemo': { request: z.object({}).strict(), response: AuthStatusSchema },
  /** Closes the professional's profile (store, outbox, tokens); the window goes back to sign-in. */
  'auth.signOut': { request: z.object({}).strict(), response: AuthStatusSchema },
} as const;
export type AuthMethod = keyof typeof AUTH_API;
export const AUTH_METHODS = Object.keys(AUTH_API) as AuthMethod[];

export function isAuthMethod(method: string): method is AuthMethod {
  return Object.prototype.hasOwnProperty.call(AUTH_API, method);
}

import { z } from 'zod';

/** The closed set of error codes that cross a process boundary. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'LAUNCH_URL_MALFORMED',
  'INS_INVALID',
  'INS_OID_UNKNOWN',
  'TRAITS_MISSING',
  'PATIENT_NOT_FOUND',
  'IDENTITY_MISMATCH',
  'PATIENT_SELECTION_REQUIRED',
  'PLATFORM_UNREACHABLE',
  'PLATFORM_ERROR',
  /** No coordination platform configured, or one Relais refuses to talk to (plain http off the machine). */
  'PLATFORM_NOT_CONFIGURED',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CARD_REMOVED',
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'STORAGE_ERROR',
  'KEYCHAIN_UNAVAILABLE',
  'INTERNAL',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const RelaisErrorSchema = z.object({
  code: ErrorCodeSchema,
  /** Technical detail for logs and developers; the UI shows its own French text per code. */
  message: z.string(),
  /** Which field was wrong, when the error is about an input. */
  field: z.string().optional(),
  /** PIN_INCORRECT / PIN_LOCKED: tries left on the card (null: the card does not say). */
  triesLeft: z.number().int().min(0).nullable().optional(),
  /** A finer cause the window words differently (Pro Santé Connect: CANCELLED, ACR_MISMATCH, UNKNOWN_PROFESSIONAL…). */
  reason: z.string().max(64).optional(),
});
export type RelaisErrorShape = z.infer<typeof RelaisErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: RelaisErrorShape };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: RelaisErrorSchema }),
  ]);
}

/** A typed error thrown inside a process; converted to a Result at the boundary. */
export class RelaisError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'RelaisError';
    this.code = code;
    this.field = field;
  }
  toShape(): RelaisErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

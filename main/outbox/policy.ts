import { RelaisError, type ErrorCode } from '../../contract';

/** Backoff of the outbox worker (docs/outbox.md): full jitter over an exponential ceiling. */
export interface BackoffPolicy {
  /** Ceiling of the first retry, ms. */
  baseMs: number;
  /** Largest ceiling, ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** Ceiling of the wait after the n-th failed attempt (n ≥ 1): base·2^(n−1), capped. */
export function backoffCeiling(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, attempts);
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
}

/** Full jitter: uniform in [0, ceiling) so a crowd of clients coming back online spreads out. */
export function backoffDelay(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempts, policy));
}

/**
 * Worth another try: the platform could not be reached or timed out (PLATFORM_UNREACHABLE),
 * failed on its side (PLATFORM_ERROR: 5xx, 429), answered 409/412 (CONFLICT), or the session
 * expired (UNAUTHENTICATED: a new token fixes it; losing a note to a token expiry is not an option).
 * Everything else — INVALID_INPUT (the platform refused the content, 4xx), FORBIDDEN,
 * PATIENT_NOT_FOUND — fails for good: retrying the same bytes cannot succeed.
 */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['PLATFORM_UNREACHABLE', 'PLATFORM_ERROR', 'CONFLICT', 'UNAUTHENTICATED']);

export function isRetryable(error: unknown): boolean {
  if (error instanceof RelaisError) return RETRYABLE.has(error.code);
  // An unexpected exception (a bug, a full disk): keep the item and try again later.
  return true;
}

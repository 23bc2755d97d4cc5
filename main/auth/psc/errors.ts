import { RelaisError } from '../../../contract';

export type PscFailure =
  | 'DISCOVERY'
  | 'STATE_MISMATCH'
  | 'NONCE_MISMATCH'
  | 'ACR_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'AUTHORIZATION_DENIED'
  | 'TOKEN'
  | 'USERINFO'
  | 'NOT_A_PROFESSIONAL'
  /** Signed in at PSC, but the coordination platform does not know this professional. */
  | 'UNKNOWN_PROFESSIONAL'
  | 'TIMEOUT'
  | 'CANCELLED';

/** A failed PSC sign-in; crosses the API as UNAUTHENTICATED, the reason kept for logs and tests. */
export class PscError extends RelaisError {
  constructor(
    readonly reason: PscFailure,
    message: string,
    override readonly cause?: unknown,
  ) {
    super('UNAUTHENTICATED', `Pro Santé Connect: ${message}`);
    this.name = 'PscError';
  }
}

/**
 * The card port: what Relais needs from a CPS / CPE (or a test token) through PKCS#11.
 * Implementations: `Pkcs11CardReader` (pkcs11js over Cryptolib CPS, or SoftHSM2 in tests) and
 * `FakeCardReader` (in memory, for unit tests). Errors are RelaisError with the contract's codes:
 * PIN_INCORRECT (field `triesLeft` in the message is not parsed: use `PinError.triesLeft`),
 * PIN_LOCKED, CARD_REMOVED, INTERNAL. No method ever logs, keeps or echoes a PIN.
 */
import { RelaisError, type RelaisErrorShape } from '../../contract';

export interface CardSlot {
  /** Opaque id of the slot (PKCS#11 slot id as a decimal string). */
  slotId: string;
  /** Reader name (slot description). */
  reader: string;
  tokenPresent: boolean;
  /** Token label (« CPS TEST »…), when a token is present. */
  label?: string;
  serial?: string;
}

export interface PinStatus {
  /** At least one wrong PIN since the last correct one (CKF_USER_PIN_COUNT_LOW). */
  countLow: boolean;
  /** One more failure locks the card (CKF_USER_PIN_FINAL_TRY). */
  finalTry: boolean;
  /** Blocked: only the unblocking code (PUK) can reset it (CKF_USER_PIN_LOCKED). */
  locked: boolean;
  /**
   * Tries left when the token says it (fake token); otherwise derived from the flags:
   * locked → 0, final try → 1, else null (unknown: PKCS#11 gives no count).
   */
  triesLeft: number | null;
  /** The reader has its own PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH): the middleware asks. */
  protectedAuthPath: boolean;
}

export interface CardReader {
  listSlots(): Promise<CardSlot[]>;
  /** The authentication certificate (PEM) of the token in this slot; no PIN needed. */
  readAuthCertificate(slotId: string): Promise<string>;
  pinStatus(slotId: string): Promise<PinStatus>;
  /**
   * Opens a session and logs the user in. The PIN is used for this call only. Throws
   * PinError (PIN_INCORRECT with triesLeft / PIN_LOCKED) or CARD_REMOVED.
   */
  login(slotId: string, pin: string): Promise<void>;
  /** RSA PKCS#1 v1.5 signature of SHA-256(data) with the authentication key (CKM_SHA256_RSA_PKCS). */
  sign(slotId: string, data: Uint8Array): Promise<Uint8Array>;
  logout(slotId: string): Promise<void>;
  /** Releases the library (C_Finalize). */
  close(): Promise<void>;
}

/** A PIN failure: the code says which, triesLeft is shown to the user (null: unknown). */
export class PinError extends RelaisError {
  readonly triesLeft: number | null;
  constructor(code: 'PIN_INCORRECT' | 'PIN_LOCKED', triesLeft: number | null) {
    // Never the PIN itself: only the code and the count.
    super(code, code === 'PIN_LOCKED' ? 'card PIN is blocked' : `wrong PIN${triesLeft === null ? '' : `, ${triesLeft} tries left`}`);
    this.name = 'PinError';
    this.triesLeft = triesLeft;
  }
  override toShape(): RelaisErrorShape {
    return { ...super.toShape(), triesLeft: this.triesLeft };
  }
}

export function cardRemoved(detail = 'card removed'): RelaisError {
  return new RelaisError('CARD_REMOVED', detail);
}

export function triesLeftFromFlags(status: Pick<PinStatus, 'locked' | 'finalTry'>): number | null {
  if (status.locked) return 0;
  if (status.finalTry) return 1;
  return null;
}

/**
 * CardReader over PKCS#11 (pkcs11js): Cryptolib CPS on a practice's machine, SoftHSM2 in tests.
 *
 * Objects on the token (convention of docs/card-sign-in.md): the authentication certificate and
 * its private key share a CKA_ID whose last byte is 0x20; the signature pair (documents: the
 * ordonnance) ends with 0x10 and is used only by readSignatureCertificate / signWithSignatureKey
 * (signature-key.ts), never as a fallback. When no certificate has the 0x20 id, the first
 * certificate that has a matching private key is taken for authentication.
 */
import pkcs11js from 'pkcs11js';
import { RelaisError } from '../../contract';
import { derToPem } from './certificate';
import { SIGNATURE_ID_SUFFIX, type SignatureKeyReader } from './signature-key';
import { PinError, cardRemoved, triesLeftFromFlags, type CardReader, type CardSlot, type PinStatus } from './types';

const AUTH_ID_SUFFIX = 0x20;
/** CKF_TOKEN_PRESENT (slot flag, PKCS#11 2.40 §3.2); missing from pkcs11js's typings. */
const CKF_TOKEN_PRESENT = 0x1;

type Handle = Buffer;

function slotKey(slot: Handle): string {
  return slot.toString('hex');
}

function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export class Pkcs11CardReader implements CardReader, SignatureKeyReader {
  private readonly p11 = new pkcs11js.PKCS11();
  private readonly sessions = new Map<string, Handle>();
  private closed = false;

  /** Loads and initialises the library; throws INTERNAL when it cannot be loaded. */
  constructor(readonly libraryPath: string) {
    try {
      this.p11.load(libraryPath);
      this.p11.C_Initialize();
    } catch (error) {
      throw new RelaisError('INTERNAL', `PKCS#11 library ${libraryPath} could not be loaded: ${errorName(error)}`);
    }
  }

  async listSlots(): Promise<CardSlot[]> {
    const slots = this.p11.C_GetSlotList(false);
    return slots.map((slot) => {
      const info = this.p11.C_GetSlotInfo(slot);
      const present = (info.flags & CKF_TOKEN_PRESENT) !== 0;
      const base: CardSlot = { slotId: slotKey(slot), reader: info.slotDescription.trim(), tokenPresent: present };
      if (!present) return base;
      try {
        const token = this.p11.C_GetTokenInfo(slot);
        // SoftHSM lists an uninitialised spare slot: not a card.
        if ((token.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) return { ...base, tokenPresent: false };
        return { ...base, label: token.label.trim(), serial: token.serialNumber.trim() };
      } catch {
        return { ...base, tokenPresent: false };
      }
    });
  }

  async readAuthCertificate(slotId: string): Promise<string> {
    return this.withSession(slotId, false, (session) => {
      const certs = this.find(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      ]);
      const withIds = certs.map((h) => ({ h, id: this.attr(session, h, pkcs11js.CKA_ID) }));
      const auth = withIds.find((c) => c.id.length > 0 && c.id[c.id.length - 1] === AUTH_ID_SUFFIX) ?? withIds[0];
      if (!auth) throw new RelaisError('INVALID_INPUT', 'no certificate on the card', 'certificate');
      return derToPem(this.attr(session, auth.h, pkcs11js.CKA_VALUE));
    });
  }

  async readSignatureCertificate(slotId: string): Promise<string> {
    return this.withSession(slotId, false, (session) => {
      const cert = this.objectWithIdSuffix(session, pkcs11js.CKO_CERTIFICATE, SIGNATURE_ID_SUFFIX);
      if (!cert) throw new RelaisError('INVALID_INPUT', 'no signature certificate on the card', 'certificate');
      return derToPem(this.attr(session, cert, pkcs11js.CKA_VALUE));
    });
  }

  async signWithSignatureKey(slotId: string, data: Uint8Array): Promise<Uint8Array> {
    const session = this.sessions.get(slotId);
    if (!session) throw new RelaisError('UNAUTHENTICATED', 'not logged in to the card');
    try {
      // Only the 0x10 pair: a document is never signed with the authentication key.
      const key = this.objectWithIdSuffix(session, pkcs11js.CKO_PRIVATE_KEY, SIGNATURE_ID_SUFFIX);
      if (!key) throw new RelaisError('INVALID_INPUT', 'no signature key on the card', 'key');
      this.p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
      return new Uint8Array(this.p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024)));
    } catch (error) {
      if (error instanceof RelaisError) throw error;
      throw this.mapError(error);
    }
  }

  private objectWithIdSuffix(session: Handle, objectClass: number, suffix: number): Handle | undefined {
    const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: objectClass }];
    if (objectClass === pkcs11js.CKO_CERTIFICATE) template.push({ type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 });
    return this.find(session, template).find((h) => {
      const id = this.attr(session, h, pkcs11js.CKA_ID);
      return id.length > 0 && id[id.length - 1] === suffix;
    });
  }

  async pinStatus(slotId: string): Promise<PinStatus> {
    const slot = this.slot(slotId);
    let flags: number;
    try {
      flags = this.p11.C_GetTokenInfo(slot).flags;
    } catch (error) {
      throw this.mapError(error);
    }
    const status = {
      countLow: (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
      finalTry: (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0,
      locked: (flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0,
      protectedAuthPath: (flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
    };
    return { ...status, triesLeft: triesLeftFromFlags(status) };
  }

  async login(slotId: string, pin: string): Promise<void> {
    const slot = this.slot(slotId);
    await this.logout(slotId);
    let session: Handle;
    try {
      session = this.p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (error) {
      throw this.mapError(error);
    }
    try {
      this.p11.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (error) {
      this.closeQuietly(session);
      const code = errorCode(error);
      if (code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
        this.sessions.set(slotId, this.p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION));
        return;
      }
      if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE || code === pkcs11js.CKR_PIN_INVALID) {
        const status = await this.pinStatus(slotId).catch(() => null);
        if (status?.locked) throw new PinError('PIN_LOCKED', 0);
        throw new PinError('PIN_INCORRECT', status?.triesLeft ?? null);
      }
      if (code === pkcs11js.CKR_PIN_LOCKED) throw new PinError('PIN_LOCKED', 0);
      // Never the library's message verbatim next to the PIN: only the CKR name.
      throw this.mapError(error);
    }
    this.sessions.set(slotId, session);
  }

  async sign(slotId: string, data: Uint8Array): Promise<Uint8Array> {
    const session = this.sessions.get(slotId);
    if (!session) throw new RelaisError('UNAUTHENTICATED', 'not logged in to the card');
    try {
      const keys = this.find(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_SIGN, value: true },
      ]);
      const withIds = keys.map((h) => ({ h, id: this.attr(session, h, pkcs11js.CKA_ID) }));
      const key = withIds.find((k) => k.id.length > 0 && k.id[k.id.length - 1] === AUTH_ID_SUFFIX) ?? withIds[0];
      if (!key) throw new RelaisError('INVALID_INPUT', 'no authentication key on the card', 'key');
      this.p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key.h);
      return new Uint8Array(this.p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024)));
    } catch (error) {
      if (error instanceof RelaisError) throw error;
      throw this.mapError(error);
    }
  }

  async logout(slotId: string): Promise<void> {
    const session = this.sessions.get(slotId);
    if (!session) return;
    this.sessions.delete(slotId);
    try {
      this.p11.C_Logout(session);
    } catch {
      // Card gone or already logged out: nothing to undo.
    }
    this.closeQuietly(session);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.sessions.keys()]) await this.logout(id);
    try {
      this.p11.C_Finalize();
    } catch {
      // already finalised
    }
    this.p11.close();
  }

  private slot(slotId: string): Handle {
    return Buffer.from(slotId, 'hex');
  }

  private withSession<T>(slotId: string, rw: boolean, run: (session: Handle) => T): T {
    const existing = this.sessions.get(slotId);
    if (existing) {
      try {
        return run(existing);
      } catch (error) {
        if (error instanceof RelaisError) throw error;
        throw this.mapError(error);
      }
    }
    let session: Handle;
    try {
      session = this.p11.C_OpenSession(this.slot(slotId), pkcs11js.CKF_SERIAL_SESSION | (rw ? pkcs11js.CKF_RW_SESSION : 0));
    } catch (error) {
      throw this.mapError(error);
    }
    try {
      return run(session);
    } catch (error) {
      if (error instanceof RelaisError) throw error;
      throw this.mapError(error);
    } finally {
      this.closeQuietly(session);
    }
  }

  private find(session: Handle, template: pkcs11js.Template): Handle[] {
    this.p11.C_FindObjectsInit(session, template);
    try {
      return this.p11.C_FindObjects(session, 32);
    } finally {
      this.p11.C_FindObjectsFinal(session);
    }
  }

  private attr(session: Handle, object: Handle, type: number): Buffer {
    const [a] = this.p11.C_GetAttributeValue(session, object, [{ type }]);
    const value = a?.value;
    return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
  }

  private closeQuietly(session: Handle): void {
    try {
      this.p11.C_CloseSession(session);
    } catch {
      // ignore
    }
  }

  private mapError(error: unknown): RelaisError {
    const code = errorCode(error);
    if (
      code === pkcs11js.CKR_TOKEN_NOT_PRESENT ||
      code === pkcs11js.CKR_DEVICE_REMOVED ||
      code === pkcs11js.CKR_SLOT_ID_INVALID ||
      code === pkcs11js.CKR_SESSION_HANDLE_INVALID ||
      code === pkcs11js.CKR_SESSION_CLOSED
    ) {
      return cardRemoved(`card removed (${errorName(error)})`);
    }
    return new RelaisError('INTERNAL', `PKCS#11: ${errorName(error)}`);
  }
}

/** Only the CKR_… name (pkcs11js messages start with it), never a full message. */
function errorName(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^CKR_[A-Z_]+/.exec(message)?.[0] ?? 'error';
}

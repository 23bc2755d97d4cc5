/**
 * In-memory CardReader for tests: one slot, a token that can be inserted and removed, a PIN with
 * tries counting down (3 by default) that locks after the last failure, and a real RSA key so
 * signatures verify. Mirrors what the PKCS#11 flags say on a real card: count low after a
 * failure, final try with one left, locked at zero.
 */
import { createSign } from 'node:crypto';
import { RelaisError } from '../../contract';
import type { SignatureKeyReader } from './signature-key';
import { PinError, cardRemoved, type CardReader, type CardSlot, type PinStatus } from './types';

export interface FakeToken {
  label: string;
  serial: string;
  certificatePem: string;
  /** PKCS#8 PEM of the authentication key. */
  privateKeyPem: string;
  pin: string;
  maxTries?: number;
  /** The signature pair (documents), distinct from the authentication one; absent: the card cannot sign documents. */
  signature?: { certificatePem: string; privateKeyPem: string };
}

export class FakeCardReader implements CardReader, SignatureKeyReader {
  readonly slotId = '0';
  private token: (FakeToken & { triesLeft: number }) | null = null;
  private loggedIn = false;
  /** Number of login attempts (tests check the PIN was tried, never what it was). */
  loginAttempts = 0;

  constructor(token?: FakeToken) {
    if (token) this.insert(token);
  }

  insert(token: FakeToken): void {
    this.token = { ...token, triesLeft: token.maxTries ?? 3 };
    this.loggedIn = false;
  }

  remove(): void {
    this.token = null;
    this.loggedIn = false;
  }

  async listSlots(): Promise<CardSlot[]> {
    const t = this.token;
    return [{ slotId: this.slotId, reader: 'Fake reader 0', tokenPresent: t !== null, ...(t ? { label: t.label, serial: t.serial } : {}) }];
  }

  async readAuthCertificate(slotId: string): Promise<string> {
    return this.present(slotId).certificatePem;
  }

  async pinStatus(slotId: string): Promise<PinStatus> {
    const t = this.present(slotId);
    const max = t.maxTries ?? 3;
    return {
      countLow: t.triesLeft < max,
      finalTry: t.triesLeft === 1,
      locked: t.triesLeft === 0,
      triesLeft: t.triesLeft,
      protectedAuthPath: false,
    };
  }

  async login(slotId: string, pin: string): Promise<void> {
    const t = this.present(slotId);
    this.loginAttempts++;
    if (t.triesLeft === 0) throw new PinError('PIN_LOCKED', 0);
    if (pin !== t.pin) {
      t.triesLeft--;
      this.loggedIn = false;
      if (t.triesLeft === 0) throw new PinError('PIN_LOCKED', 0);
      throw new PinError('PIN_INCORRECT', t.triesLeft);
    }
    t.triesLeft = t.maxTries ?? 3;
    this.loggedIn = true;
  }

  async sign(slotId: string, data: Uint8Array): Promise<Uint8Array> {
    const t = this.present(slotId);
    if (!this.loggedIn) throw new RelaisError('UNAUTHENTICATED', 'not logged in to the card');
    return new Uint8Array(createSign('sha256').update(data).sign(t.privateKeyPem));
  }

  async readSignatureCertificate(slotId: string): Promise<string> {
    const sig = this.present(slotId).signature;
    if (!sig) throw new RelaisError('INVALID_INPUT', 'no signature certificate on the card', 'certificate');
    return sig.certificatePem;
  }

  async signWithSignatureKey(slotId: string, data: Uint8Array): Promise<Uint8Array> {
    const sig = this.present(slotId).signature;
    if (!this.loggedIn) throw new RelaisError('UNAUTHENTICATED', 'not logged in to the card');
    if (!sig) throw new RelaisError('INVALID_INPUT', 'no signature key on the card', 'key');
    this.documentSignatures++;
    return new Uint8Array(createSign('sha256').update(data).sign(sig.privateKeyPem));
  }

  /** Number of signatures made with the signature key. */
  documentSignatures = 0;

  async logout(): Promise<void> {
    this.loggedIn = false;
  }

  async close(): Promise<void> {
    this.loggedIn = false;
  }

  private present(slotId: string): FakeToken & { triesLeft: number } {
    if (slotId !== this.slotId || !this.token) throw cardRemoved();
    return this.token;
  }
}

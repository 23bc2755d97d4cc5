/**
 * Client side of the platform's card sign-in (challenge-response, sandbox/auth/card-auth.ts):
 * login to the card with the PIN → POST {authUrl}/challenge → sign, with the authentication key
 * (CKM_SHA256_RSA_PKCS), a statement naming the platform origin Relais is configured with, the
 * nonce and the time (card-challenge.ts) → POST {authUrl}/card → a short-lived access token,
 * kept in memory only (never written anywhere). The card is logged out right after signing.
 *
 * The PIN is a parameter of signIn only: it is passed to the reader and not kept, logged or
 * put in any error (errors carry codes and counts; see PinError).
 */
import { RelaisError } from '../../contract';
import { parseCardCertificate, type CardIdentity } from '../../native-bridges/card/certificate';
import type { CardReader } from '../../native-bridges/card/types';
import { checkPlatformUrl } from '../config/platform-url';
import { cardAuthMessage } from './card-challenge';

export interface CardSignInOptions {
  reader: CardReader;
  slotId: string;
  /** e.g. http://127.0.0.1:8787/auth (default: the platform's origin + /auth). https off the machine. */
  authUrl: string;
  /**
   * The platform URL Relais is configured with: its origin goes into the signed statement (never
   * an origin the server names), so a signature made for this platform is refused by any other.
   */
  platformUrl: string;
  /** Called once when the access token expires: the window asks for the PIN again. */
  onExpired?: () => void;
  /** Treat the token as expired this much before the platform does (default 5 s). */
  marginMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export interface SignInResult {
  professionalId: string;
  kind: 'CPS' | 'CPE';
  expiresAt: number;
}

export function defaultAuthUrl(platformUrl: string): string {
  return `${new URL(platformUrl).origin}/auth`;
}

export class CardSignIn {
  private token: { value: string; expiresAt: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private holder: CardIdentity | null = null;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: CardSignInOptions) {
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  /** Reads and parses the authentication certificate (no PIN needed). */
  async readIdentity(): Promise<CardIdentity> {
    const pem = await this.options.reader.readAuthCertificate(this.options.slotId);
    const identity = parseCardCertificate(pem);
    this.holder ??= identity;
    return identity;
  }

  get identity(): CardIdentity | null {
    return this.holder;
  }

  /** A live access token, or undefined (not signed in, or expired). */
  getAccessToken(): string | undefined {
    if (!this.token) return undefined;
    if (this.token.expiresAt <= this.now()) {
      this.expire();
      return undefined;
    }
    return this.token.value;
  }

  async signIn(pin: string): Promise<SignInResult> {
    const { reader, slotId } = this.options;
    const pem = await reader.readAuthCertificate(slotId);
    const identity = parseCardCertificate(pem);
    // Another card in the reader does not unlock this session.
    if (this.holder && this.holder.idNatPs !== identity.idNatPs) {
      throw new RelaisError('FORBIDDEN', 'the card in the reader belongs to someone else');
    }
    // The token and the signed statement travel to these URLs: refused before the PIN is used.
    checkPlatformUrl(this.options.authUrl, 'card sign-in');
    const origin = new URL(checkPlatformUrl(this.options.platformUrl)).origin;
    await reader.login(slotId, pin);
    let signature: Uint8Array;
    let nonce: string;
    let signedAt: string;
    try {
      nonce = (await this.post<{ nonce: string }>('challenge', {})).nonce;
      if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) {
        throw new RelaisError('PLATFORM_ERROR', 'card sign-in: the platform sent a malformed challenge');
      }
      signedAt = new Date(this.now()).toISOString();
      signature = await reader.sign(slotId, cardAuthMessage({ origin, nonce, signedAt }));
    } finally {
      await reader.logout(slotId);
    }
    const answer = await this.post<{ accessToken: string; expiresIn: number; professional: { id: string; kind: 'CPS' | 'CPE' } }>('card', {
      certificatePem: pem,
      origin,
      nonce,
      signedAt,
      signature: Buffer.from(signature).toString('base64'),
    });
    this.holder = identity;
    const margin = this.options.marginMs ?? 5000;
    const lifetimeMs = Math.max(1000, answer.expiresIn * 1000 - margin);
    this.token = { value: answer.accessToken, expiresAt: this.now() + lifetimeMs };
    this.schedule(lifetimeMs);
    return { professionalId: answer.professional.id, kind: answer.professional.kind, expiresAt: this.token.expiresAt };
  }

  /** Forgets the token (lock, removal, quit). */
  clear(): void {
    this.token = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.expire(), ms);
    this.timer.unref?.();
  }

  private expire(): void {
    if (!this.token) return;
    this.clear();
    this.options.onExpired?.();
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.options.authUrl}/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new RelaisError('PLATFORM_UNREACHABLE', `card sign-in: ${error instanceof Error ? error.name : 'network error'}`);
    }
    const json = (await res.json().catch(() => ({}))) as { error?: string };
    if (res.status === 401) throw new RelaisError('UNAUTHENTICATED', `card sign-in refused: ${json.error ?? 'HTTP 401'}`);
    if (res.status === 403) throw new RelaisError('FORBIDDEN', `card sign-in refused: ${json.error ?? 'HTTP 403'}`);
    if (!res.ok) throw new RelaisError('PLATFORM_ERROR', `card sign-in: HTTP ${res.status} ${json.error ?? ''}`.trim());
    return json as T;
  }
}

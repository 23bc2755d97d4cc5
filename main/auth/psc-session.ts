/**
 * A Pro Santé Connect sign-in as the platform session of a composition (main/compose.ts `psc`):
 * the platform accepts the PSC access token as its bearer token (a coordination platform that is
 * a PSC relying party), so the FHIR adapter asks this object for it on every request.
 *
 * The token is renewed with the refresh token when it nears expiry; once that fails the session
 * has expired: the core emits sign-in-required and the window offers a new PSC sign-in (there is
 * no PIN to type). A new sign-in of the same professional hands its client over (`replace`), so
 * the open composition — screen, drafts, outbox — stays. Tokens stay in memory only.
 */
import type { ProSanteConnect } from './psc';

export class PscPlatformSession {
  private refreshing: Promise<string | undefined> | null = null;
  private expired = false;
  private onExpired: (() => void) | null = null;

  constructor(
    private client: ProSanteConnect,
    /** idNatPS of the signed-in professional (userinfo SubjectNameID): how the platform names them. */
    readonly idNatPs: string,
  ) {}

  /** The current access token, renewed when it nears expiry; undefined once the session expired. */
  async getAccessToken(): Promise<string | undefined> {
    const token = this.client.accessToken();
    if (token) return token;
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The composition's expiry handler (sign-in-required), called once per expiry. */
  attach(handlers: { onExpired: () => void }): void {
    this.onExpired = handlers.onExpired;
  }

  /** A new PSC sign-in of the same professional (unlock, expired session): its tokens take over. */
  replace(client: ProSanteConnect): void {
    const previous = this.client;
    this.client = client;
    this.expired = false;
    // The old tokens are forgotten; PSC's end-session URL is not opened (the browser session stays for the new one).
    void previous.signOut().catch(() => undefined);
  }

  /** Sign-out / profile switch: forgets the tokens. */
  async close(): Promise<void> {
    this.onExpired = null;
    await this.client.signOut().catch(() => undefined);
  }

  private async renew(): Promise<string | undefined> {
    const client = this.client;
    if (client.session?.tokens.refreshToken) {
      try {
        await client.refresh();
        const token = client.accessToken();
        if (token) return token;
      } catch {
        // Refresh refused or PSC unreachable: the professional signs in again (below).
      }
    }
    if (!this.expired && client === this.client) {
      this.expired = true;
      this.onExpired?.();
    }
    return undefined;
  }
}

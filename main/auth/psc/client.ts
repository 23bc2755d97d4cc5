import * as oidc from 'openid-client';
import { discoveryUrls, PSC_DEFAULT_ACR, PSC_DEFAULT_SCOPE, type PscConfig } from './config';
import { PscError } from './errors';
import { startLoopbackRedirect } from './loopback';
import type { OpenExternal } from './open-external';
import { mapUserInfo, type PscProfessional } from './userinfo';

/** Tokens of the current PSC session: in memory only, never written anywhere. */
export interface PscTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string | null;
  tokenType: string;
  scope: string | null;
  obtainedAt: string;
  /** From `expires_in` of the token response (null when PSC sends none). */
  expiresAt: string | null;
  /** From Keycloak's `refresh_expires_in` (null when absent). */
  refreshExpiresAt: string | null;
}

export interface PscSignIn {
  professional: PscProfessional;
  tokens: PscTokens;
  /** `acr` of the ID token (always the configured one, else sign-in fails). */
  acr: string;
  authTime: string | null;
}

export interface PendingSignIn {
  /** Open this in the system browser (the Electron port does; the web host hands it to the window). */
  authorizationUrl: string;
  redirectUri: string;
  /** Settles when the browser comes back to the loopback redirect and the checks pass. */
  result: Promise<PscSignIn>;
  cancel(): Promise<void>;
}

export interface ProSanteConnectOptions {
  config: PscConfig;
  openExternal: OpenExternal;
  now?: () => number;
}

/**
 * Pro Santé Connect sign-in: OpenID Connect authorization code + PKCE (S256) through the system
 * browser and a loopback redirect on 127.0.0.1, `scope=openid scope_all`, `acr_values=eidas1`,
 * state, nonce and acr checked, then userinfo mapped to the professional (docs/pro-sante-connect.md).
 */
export class ProSanteConnect {
  private configuration: Promise<oidc.Configuration> | null = null;
  private current: PscSignIn | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ProSanteConnectOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The signed-in professional and tokens of this process, or null. */
  get session(): PscSignIn | null {
    return this.current;
  }

  /** The access token while valid (a minute of margin), else null. */
  accessToken(): string | null {
    const t = this.current?.tokens;
    if (!t) return null;
    if (t.expiresAt !== null && Date.parse(t.expiresAt) - 60_000 <= this.now()) return null;
    return t.accessToken;
  }

  /** Discovery at the wallet document (then the standard one, only if configured). Cached once it succeeds. */
  discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.runDiscovery().catch((error: unknown) => {
      this.configuration = null;
      throw error;
    });
    return this.configuration;
  }

  /** Starts a sign-in, opens the browser and waits for its outcome. */
  async signIn(): Promise<PscSignIn> {
    const pending = await this.begin();
    try {
      await this.options.openExternal(pending.authorizationUrl);
    } catch (error) {
      await pending.cancel();
      throw error;
    }
    return pending.result;
  }

  /** Prepares the request and the loopback listener; the caller opens `authorizationUrl`. */
  async begin(): Promise<PendingSignIn> {
    const config = await this.discover();
    const c = this.options.config;
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    // The listener knows our state: a local page calling the callback cannot end the sign-in.
    const loopback = await startLoopbackRedirect({
      expectedState: state,
      ...(c.redirectPath ? { path: c.redirectPath } : {}),
      ...(c.signInTimeoutMs ? { timeoutMs: c.signInTimeoutMs } : {}),
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: loopback.redirectUri,
      response_type: 'code',
      scope: c.scope ?? PSC_DEFAULT_SCOPE,
      acr_values: c.acr ?? PSC_DEFAULT_ACR,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const result = loopback.callback.then((callbackUrl) =>
      this.complete(config, callbackUrl, { verifier, state, nonce, redirectUri: loopback.redirectUri }),
    );
    result.catch(() => undefined);
    return { authorizationUrl: url.href, redirectUri: loopback.redirectUri, result, cancel: () => loopback.close() };
  }

  /** Renews the access token with the refresh token (lifetimes read again from the response). */
  async refresh(): Promise<PscTokens> {
    const current = this.current;
    if (!current?.tokens.refreshToken) throw new PscError('TOKEN', 'no refresh token');
    const config = await this.discover();
    let response: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
    try {
      response = await oidc.refreshTokenGrant(config, current.tokens.refreshToken);
    } catch (error) {
      this.current = null;
      throw new PscError('TOKEN', `refresh failed: ${describe(error)}`, error);
    }
    const tokens = this.tokensOf(response, current.tokens);
    this.current = { ...current, tokens };
    return tokens;
  }

  /** Forgets the session; returns PSC's end-session URL (to open in the browser) when it has one. */
  async signOut(postLogoutRedirectUri?: string): Promise<string | null> {
    const current = this.current;
    this.current = null;
    if (!current) return null;
    const config = await this.discover();
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: current.tokens.idToken,
      ...(postLogoutRedirectUri ? { post_logout_redirect_uri: postLogoutRedirectUri } : {}),
    }).href;
  }

  private async complete(
    config: oidc.Configuration,
    callbackUrl: URL,
    checks: { verifier: string; state: string; nonce: string; redirectUri: string },
  ): Promise<PscSignIn> {
    const params = callbackUrl.searchParams;
    // state first: a response to someone else's request is dropped before anything else is read.
    if (params.get('state') !== checks.state) throw new PscError('STATE_MISMATCH', 'the authorization response does not answer our request (state)');
    if (params.has('error')) {
      throw new PscError('AUTHORIZATION_DENIED', `${params.get('error')}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`);
    }
    let response: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      response = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      const message = describe(error);
      throw new PscError(/nonce/i.test(message) ? 'NONCE_MISMATCH' : 'TOKEN', `token exchange failed: ${message}`, error);
    }
    const claims = response.claims();
    if (!claims) throw new PscError('TOKEN', 'no ID token');
    const expectedAcr = this.options.config.acr ?? PSC_DEFAULT_ACR;
    if (claims.acr !== expectedAcr) {
      throw new PscError('ACR_MISMATCH', `authentication level ${String(claims.acr ?? 'none')} instead of ${expectedAcr}`);
    }
    const tokens = this.tokensOf(response, null);
    let userinfo: unknown;
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.accessToken, claims.sub);
    } catch (error) {
      throw new PscError('USERINFO', `userinfo failed: ${describe(error)}`, error);
    }
    const professional = mapUserInfo(userinfo);
    const signIn: PscSignIn = {
      professional,
      tokens,
      acr: claims.acr,
      authTime: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000).toISOString() : null,
    };
    this.current = signIn;
    return signIn;
  }

  private tokensOf(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, previous: PscTokens | null): PscTokens {
    const now = this.now();
    const expiresIn = response.expiresIn();
    const refreshExpiresIn = typeof response.refresh_expires_in === 'number' ? response.refresh_expires_in : undefined;
    const idToken = response.id_token ?? previous?.idToken;
    if (!idToken) throw new PscError('TOKEN', 'no ID token');
    return {
      accessToken: response.access_token,
      idToken,
      refreshToken: response.refresh_token ?? previous?.refreshToken ?? null,
      tokenType: response.token_type,
      scope: response.scope ?? null,
      obtainedAt: new Date(now).toISOString(),
      expiresAt: expiresIn !== undefined ? new Date(now + expiresIn * 1000).toISOString() : null,
      refreshExpiresAt: refreshExpiresIn !== undefined && refreshExpiresIn > 0 ? new Date(now + refreshExpiresIn * 1000).toISOString() : null,
    };
  }

  private async runDiscovery(): Promise<oidc.Configuration> {
    const c = this.options.config;
    const insecure = c.allowInsecureLoopback === true && isLoopbackHttp(c.issuer);
    const auth = c.clientSecret ? oidc.ClientSecretBasic(c.clientSecret) : oidc.None();
    const errors: string[] = [];
    for (const url of discoveryUrls(c)) {
      if (url.protocol !== 'https:' && !(insecure && isLoopbackHttp(url.href))) {
        errors.push(`${url.href}: https required`);
        continue;
      }
      try {
        const config = await oidc.discovery(url, c.clientId, undefined, auth, {
          timeout: c.httpTimeoutSeconds ?? 30,
          ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        });
        // A .well-known URL given as-is is not checked by the library: check the issuer here.
        const issuer = config.serverMetadata().issuer;
        if (issuer.replace(/\/+$/, '') !== c.issuer.replace(/\/+$/, '')) {
          throw new PscError('ISSUER_MISMATCH', `discovery names issuer ${issuer}, expected ${c.issuer}`);
        }
        return config;
      } catch (error) {
        if (error instanceof PscError) throw error;
        errors.push(`${url.href}: ${describe(error)}`);
      }
    }
    throw new PscError('DISCOVERY', `discovery failed (${errors.join('; ')})`);
  }
}

function isLoopbackHttp(href: string): boolean {
  const u = new URL(href);
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseSite, PscError, ProSanteConnect, type PscConfig } from '../../main/auth/psc';
import { headlessBrowser, startPscProvider, type PscProvider } from '../fixtures/oidc/psc-provider';

/**
 * Pro Santé Connect end to end against a local provider configured like PSC (test/fixtures/oidc):
 * wallet discovery, authorization code + PKCE, loopback redirect, acr eidas1, userinfo mapping.
 */
let provider: PscProvider;
const pending: Array<() => Promise<void>> = [];

beforeAll(async () => {
  provider = await startPscProvider();
});
afterEach(async () => {
  provider.setAcr('eidas1');
  for (const cancel of pending.splice(0)) await cancel();
});
afterAll(async () => {
  await provider?.close();
});

function config(extra: Partial<PscConfig> = {}): PscConfig {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    allowInsecureLoopback: true,
    signInTimeoutMs: 20_000,
    ...extra,
  };
}

/** Runs a sign-in where the "system browser" is the headless client. */
async function signInWith(psc: ProSanteConnect, alterCallback?: (url: URL) => URL) {
  const start = await psc.begin();
  pending.push(start.cancel);
  const browser = await headlessBrowser(start.authorizationUrl, {
    redirectUriPrefix: start.redirectUri,
    ...(alterCallback ? { alterCallback } : {}),
  });
  return { start, browser, result: start.result };
}

describe('Pro Santé Connect (local provider shaped like PSC)', () => {
  it('full flow: wallet discovery → code + PKCE → tokens → userinfo → professional with RPPS', async () => {
    const opened: string[] = [];
    const psc = new ProSanteConnect({ config: config(), openExternal: async (url) => void opened.push(url) });
    const before = Date.now();
    const { start, browser, result } = await signInWith(psc);
    const signIn = await result;

    // The request: loopback redirect on 127.0.0.1 with a random port, scope, acr, PKCE S256, state, nonce.
    expect(start.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/psc\/callback$/);
    const auth = new URL(start.authorizationUrl);
    expect(auth.href.startsWith(`${provider.issuer}/protocol/openid-connect/auth`)).toBe(true);
    expect(auth.searchParams.get('scope')).toBe('openid scope_all');
    expect(auth.searchParams.get('acr_values')).toBe('eidas1');
    expect(auth.searchParams.get('response_type')).toBe('code');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get('state')).toBeTruthy();
    expect(auth.searchParams.get('nonce')).toBeTruthy();
    expect(provider.authorizationRequests.length).toBeGreaterThan(0);
    expect(browser.status).toBe(200);
    expect(browser.body).toContain('Connexion réussie');

    // The professional from userinfo.
    expect(signIn.acr).toBe('eidas1');
    expect(signIn.professional).toMatchObject({ idNatPs: '899700001011', rpps: '99700001011', adeli: null, familyName: 'DUFAU', givenName: 'Hélène' });
    expect(signIn.professional.exercices).toHaveLength(1);
    expect(signIn.professional.exercices[0]).toMatchObject({ professionCode: '10', savoirFaire: { type: 'S', code: 'SM54' } });
    // Two practice sites: the professional picks one.
    expect(signIn.professional.sites.map((s) => s.label)).toEqual(['MSP des Arènes', 'Cabinet secondaire de Saint-Pierre-du-Mont']);
    expect(chooseSite(signIn.professional)).toBeNull();
    expect(chooseSite(signIn.professional, '0.1')).toMatchObject({ structureId: 'R10000000002', professionCode: '10' });

    // Token lifetimes come from the response (the provider issues 120 s access tokens).
    const expiresAt = Date.parse(signIn.tokens.expiresAt!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 115_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);
    expect(signIn.tokens.refreshToken).toBeTruthy();
    expect(psc.accessToken()).toBe(signIn.tokens.accessToken);
    expect(psc.session?.professional.rpps).toBe('99700001011');

    // Refresh keeps the session, with new lifetimes; sign-out forgets the tokens.
    const refreshed = await psc.refresh();
    expect(refreshed.accessToken).not.toBe(signIn.tokens.accessToken);
    const logout = await psc.signOut();
    expect(logout).toContain('/protocol/openid-connect/logout');
    expect(psc.session).toBeNull();
    expect(psc.accessToken()).toBeNull();

    // signIn() goes through the openExternal port (the Electron shell / the web window).
    const viaPort = psc.signIn();
    viaPort.catch(() => undefined); // awaited below, after the browser step
    await expect.poll(() => opened.length).toBe(1);
    const r = await fetch(`${new URL(opened[0]!).searchParams.get('redirect_uri')}?error=access_denied&state=${new URL(opened[0]!).searchParams.get('state')}`);
    expect(await r.text()).toContain('Connexion interrompue');
    await expect(viaPort).rejects.toMatchObject({ reason: 'AUTHORIZATION_DENIED', code: 'UNAUTHENTICATED' });
  });

  it('ignores an authorization response whose state is not ours (no token exchange, sign-in not ended by it)', async () => {
    const psc = new ProSanteConnect({ config: config(), openExternal: async () => undefined });
    const { start, browser, result } = await signInWith(psc, (url) => {
      url.searchParams.set('state', 'forged-state');
      return url;
    });
    // The loopback listener refuses it outright; the sign-in still waits for the real answer.
    expect(browser.status).toBe(400);
    const outcome = await Promise.race([result.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 200))]);
    expect(outcome).toBe('pending');
    expect(psc.session).toBeNull();
    await start.cancel();
    await expect(result).rejects.toBeInstanceOf(PscError);
    await expect(result).rejects.toMatchObject({ reason: 'CANCELLED' });
  });

  it('rejects a sign-in whose ID token acr is not eidas1', async () => {
    provider.setAcr('eidas0');
    const psc = new ProSanteConnect({ config: config(), openExternal: async () => undefined });
    const { result } = await signInWith(psc);
    await expect(result).rejects.toMatchObject({ reason: 'ACR_MISMATCH', message: expect.stringContaining('eidas0') });
    expect(psc.session).toBeNull();
  });

  it('uses the wallet discovery document; the standard one only when configured', async () => {
    const walletOnly = new ProSanteConnect({ config: config({ discoveryUrl: `${provider.issuer}/.well-known/missing` }), openExternal: async () => undefined });
    await expect(walletOnly.discover()).rejects.toMatchObject({ reason: 'DISCOVERY' });
    const withFallback = new ProSanteConnect({
      config: config({ discoveryUrl: `${provider.issuer}/.well-known/missing`, standardDiscoveryFallback: true }),
      openExternal: async () => undefined,
    });
    const c = await withFallback.discover();
    expect(c.serverMetadata().token_endpoint).toBe(`${provider.issuer}/protocol/openid-connect/token`);
    const wrongIssuer = new ProSanteConnect({
      config: config({ issuer: `${provider.origin}/auth/realms/other`, discoveryUrl: `${provider.issuer}/.well-known/wallet-openid-configuration` }),
      openExternal: async () => undefined,
    });
    await expect(wrongIssuer.discover()).rejects.toMatchObject({ reason: 'ISSUER_MISMATCH' });
    const plainHttp = new ProSanteConnect({ config: config({ allowInsecureLoopback: false }), openExternal: async () => undefined });
    await expect(plainHttp.discover()).rejects.toMatchObject({ reason: 'DISCOVERY', message: expect.stringContaining('https required') });
  });
});

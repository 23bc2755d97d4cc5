import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, Patient, RelaisErrorShape, Result, Session } from '../../contract';
import { ProSanteConnect } from '../../main/auth/psc';
import { SessionHost } from '../../main/session/session-host';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { headlessBrowser, startPscProvider, type PscProvider } from '../fixtures/oidc/psc-provider';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

/**
 * Pro Santé Connect as the hosts' second sign-in, end to end: the local provider shaped like PSC
 * (test/fixtures/oidc), a sandbox platform that accepts PSC access tokens (checked at the
 * provider's userinfo), and the SessionHost whose "system browser" is the headless client.
 * The provider signs in Dr Hélène DUFAU (idNatPS 899700001011), the seeded demo GP.
 */
let provider: PscProvider;
let platform: Sandbox;
const dirs: string[] = [];
const hosts: SessionHost[] = [];
const browsing: Promise<unknown>[] = [];

beforeAll(async () => {
  provider = await startPscProvider();
  platform = await startSandbox({ port: 0, seed: 1, psc: { issuer: provider.issuer, clientIds: [provider.clientId], introspection: provider.platform } });
});
afterEach(async () => {
  provider.setAcr('eidas1');
  for (const h of hosts.splice(0)) await h.close();
  await Promise.allSettled(browsing.splice(0));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await platform?.close();
  await provider?.close();
});

/** A host whose openExternal plays the system browser (or, with browse false, opens nothing). */
function newHost(sandbox: Sandbox, options: { browse?: boolean } = {}): { host: SessionHost; opened: string[] } {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-psc-sign-in-'));
  dirs.push(dataDir);
  const opened: string[] = [];
  const host = new SessionHost({
    compose: { platformUrl: sandbox.url, dataDir, encrypt: true, secretStore: new MemorySecretStore() },
    psc: {
      config: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowInsecureLoopback: true, signInTimeoutMs: 20_000 },
      openExternal: async (url) => {
        opened.push(url);
        if (options.browse === false) return;
        const redirectUriPrefix = new URL(url).searchParams.get('redirect_uri')!;
        browsing.push(headlessBrowser(url, { redirectUriPrefix }));
      },
    },
  });
  hosts.push(host);
  return { host, opened };
}

async function call<T = unknown>(host: SessionHost, method: string, payload: unknown = {}): Promise<Result<T>> {
  return (await host.dispatch(method, payload)) as Result<T>;
}

function failure(result: Result<unknown>): RelaisErrorShape {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('Pro Santé Connect sign-in of the hosts (SessionHost + sandbox accepting PSC tokens)', () => {
  it('signs the provider’s professional in; the platform accepts the PSC token and derives the physician role', async () => {
    const { host, opened } = newHost(platform);
    const before = host.status();
    expect(before).toMatchObject({ signedIn: false, pscAvailable: true, pscPending: false, demoAllowed: false });
    expect(failure(await call(host, 'patient.list')).code).toBe('UNAUTHENTICATED');

    const signedIn = await call<AuthStatus>(host, 'auth.signInPsc');
    expect(signedIn.ok).toBe(true);
    const status = host.status();
    expect(status).toMatchObject({ signedIn: true, method: 'psc', pscPending: false });
    expect(status.professional).toMatchObject({ rpps: '99700001011', idNatPs: '899700001011' });
    // The browser was asked for PSC with acr eidas1, on the loopback redirect.
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0]!).searchParams.get('acr_values')).toBe('eidas1');

    const session = await call<Session>(host, 'session.current');
    expect(session.ok && session.value).toMatchObject({ method: 'psc', role: 'physician', demo: false });

    // Every FHIR request carries the PSC access token; the platform (secured) answers it.
    const patients = await call<Patient[]>(host, 'patient.list');
    expect(patients.ok && patients.value.length).toBeGreaterThan(0);
  });

  it('the platform refuses a request without a token and a token the provider does not know (401)', async () => {
    const none = await fetch(`${platform.url}/Patient?_count=1`);
    expect(none.status).toBe(401);
    await none.body?.cancel();
    const forged = await fetch(`${platform.url}/Patient?_count=1`, { headers: { Authorization: 'Bearer forged-token-not-from-psc' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer');
    await forged.body?.cancel();
  });

  it('refuses an authentication below eidas1 with a typed error, and nobody is signed in', async () => {
    provider.setAcr('eidas0');
    const { host } = newHost(platform);
    const error = failure(await call(host, 'auth.signInPsc'));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'ACR_MISMATCH' });
    expect(host.status()).toMatchObject({ signedIn: false, pscPending: false });
  });

  it('a sign-in waiting in the browser can be cancelled (reason CANCELLED)', async () => {
    const { host, opened } = newHost(platform, { browse: false });
    const waiting = call(host, 'auth.signInPsc');
    await expect.poll(() => opened.length).toBe(1);
    expect(host.status().pscPending).toBe(true);
    const cancelled = await call<AuthStatus>(host, 'auth.cancelPsc');
    expect(cancelled.ok).toBe(true);
    expect(failure(await waiting)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CANCELLED' });
    expect(host.status()).toMatchObject({ signedIn: false, pscPending: false });
  });

  it('a locked PSC session refuses a PIN and unlocks with a new PSC sign-in of the same professional (same core)', async () => {
    const { host } = newHost(platform);
    expect((await call(host, 'auth.signInPsc')).ok).toBe(true);
    const core = host.composition!.core;
    expect((await call(host, 'session.lock')).ok).toBe(true);
    expect(failure(await call(host, 'patient.list')).code).toBe('UNAUTHENTICATED');
    expect(failure(await call(host, 'session.unlock', { pin: '1234' })).code).toBe('UNAUTHENTICATED');

    const again = await call<AuthStatus>(host, 'auth.signInPsc');
    expect(again.ok).toBe(true);
    expect(host.composition!.core).toBe(core);
    const session = await call<Session>(host, 'session.current');
    expect(session.ok && session.value.locked).toBe(false);
    expect((await call(host, 'patient.list')).ok).toBe(true);
  });

  it('the platform refuses a PSC token issued to another application (audience / client_id checked by introspection)', async () => {
    const tokenOf = async (client: { clientId: string; clientSecret: string }) => {
      const psc = new ProSanteConnect({
        config: { issuer: provider.issuer, ...client, allowInsecureLoopback: true, signInTimeoutMs: 20_000 },
        openExternal: async () => undefined,
      });
      const start = await psc.begin();
      await headlessBrowser(start.authorizationUrl, { redirectUriPrefix: start.redirectUri });
      return (await start.result).tokens.accessToken;
    };
    const other = await tokenOf(provider.otherClient);
    const theirs = await fetch(`${platform.url}/Patient?_count=1`, { headers: { Authorization: `Bearer ${other}` } });
    expect(theirs.status).toBe(401);
    const ours = await tokenOf({ clientId: provider.clientId, clientSecret: provider.clientSecret });
    const accepted = await fetch(`${platform.url}/Patient?_count=1`, { headers: { Authorization: `Bearer ${ours}` } });
    expect(accepted.status).toBe(200);
  });

  it('a professional the platform does not know is refused with reason UNKNOWN_PROFESSIONAL', async () => {
    const empty = await startSandbox({ port: 0, empty: true, psc: { issuer: provider.issuer, clientIds: [provider.clientId], introspection: provider.platform } });
    try {
      const { host } = newHost(empty);
      const error = failure(await call(host, 'auth.signInPsc'));
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_PROFESSIONAL' });
      expect(host.status().signedIn).toBe(false);
    } finally {
      await empty.close();
    }
  });

  it('without a PSC configuration the install does not offer it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-psc-sign-in-'));
    dirs.push(dataDir);
    const host = new SessionHost({ compose: { platformUrl: platform.url, dataDir, encrypt: true, secretStore: new MemorySecretStore() } });
    hosts.push(host);
    expect(host.status().pscAvailable).toBe(false);
    expect(failure(await call(host, 'auth.signInPsc')).code).toBe('FORBIDDEN');
  });
});

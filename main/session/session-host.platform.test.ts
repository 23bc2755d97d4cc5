import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelaisErrorShape, Result } from '../../contract';
import { SessionHost } from './session-host';

/** A host whose platform is missing or insecure opens on the sign-in screen and refuses every sign-in, with a typed error. */
const dirs: string[] = [];
const hosts: SessionHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function host(platformUrl: string): SessionHost {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-platform-'));
  dirs.push(dataDir);
  const h = new SessionHost({
    compose: { platformUrl, dataDir },
    demoRpps: '99700001011',
    psc: { config: { issuer: 'https://psc.example/auth/realms/esante-wallet', clientId: 'relais' }, openExternal: async () => undefined },
  });
  hosts.push(h);
  return h;
}

const error = (r: Result<unknown>): RelaisErrorShape => {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
};

describe('SessionHost without a usable platform', () => {
  it.each([[''], ['http://platform.example/fhir']])('platform %j: sign-in screen says so; demo, card and PSC refused PLATFORM_NOT_CONFIGURED', async (url) => {
    const h = host(url);
    await h.start();
    expect(h.status()).toMatchObject({ signedIn: false, platformConfigured: false, demoAllowed: false });
    expect(error(await h.dispatch('auth.signInDemo', {})).code).toBe('PLATFORM_NOT_CONFIGURED');
    expect(error(await h.dispatch('auth.signInPsc', {})).code).toBe('PLATFORM_NOT_CONFIGURED');
    expect(error(await h.dispatch('auth.signInCard', { pin: '1234' })).code).toBe('PLATFORM_NOT_CONFIGURED');
  });

  it('an https or loopback platform is usable (no flag in the status)', async () => {
    expect(host('https://platform.example/fhir').status()).not.toHaveProperty('platformConfigured');
    expect(host('http://127.0.0.1:8787/fhir').status()).toMatchObject({ demoAllowed: true });
  });
});

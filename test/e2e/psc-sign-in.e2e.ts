import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebHost, type RunningWebHost } from '../../main/web/run-web-host';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { headlessBrowser, startPscProvider, type PscProvider } from '../fixtures/oidc/psc-provider';
import { ROOT, openAppPage, type AppFixture } from '../support/app-fixture';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

/**
 * Pro Santé Connect from the window, in Chromium: the web host has a PSC client (the local
 * provider shaped like PSC), the sandbox accepts PSC tokens, and the "system browser" the host
 * opens is the fixture's headless client (it signs in Dr Hélène DUFAU, the seeded demo GP).
 */
const SHOTS = join(ROOT, 'test-results');
let provider: PscProvider;
let sandbox: Sandbox;
let host: RunningWebHost;
let dataDir: string;
let browser: Browser;
let page: Page;
/** Set per test: false leaves the flow waiting in the "browser" (cancel case). */
let browse = true;
const browsing: Promise<unknown>[] = [];

beforeAll(async () => {
  provider = await startPscProvider();
  sandbox = await startSandbox({ port: 0, seed: 1, psc: { issuer: provider.issuer, clientIds: [provider.clientId], introspection: provider.platform } });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-e2e-psc-'));
  host = await runWebHost({
    platformUrl: sandbox.url,
    dataDir,
    demo: false,
    encrypt: true,
    secretStore: new MemorySecretStore(),
    port: 0,
    backgroundSync: false,
    alertWatcher: false,
    psc: {
      config: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowInsecureLoopback: true, signInTimeoutMs: 30_000 },
      openExternal: async (url) => {
        if (!browse) return;
        browsing.push(headlessBrowser(url, { redirectUriPrefix: new URL(url).searchParams.get('redirect_uri')! }));
      },
    },
  });
  ({ browser, page } = await openAppPage({ host } as AppFixture));
});

afterAll(async () => {
  await browser?.close();
  await Promise.allSettled(browsing);
  await host?.stop();
  await sandbox?.close();
  await provider?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('signing in with Pro Santé Connect from the window', () => {
  it('a cancelled browser sign-in says so, in French', async () => {
    browse = false;
    const screen = page.getByTestId('sign-in-screen');
    await screen.waitFor();
    expect(await screen.textContent()).toContain('application e-CPS ou votre carte CPS');
    await page.getByTestId('sign-in-psc').click();
    await page.getByTestId('psc-waiting').waitFor();
    await page.screenshot({ path: join(SHOTS, 'psc-waiting.png') });
    await page.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => screen.textContent()).toContain('Connexion Pro Santé Connect annulée.');
  });

  it('the button signs the professional in; the lock panel then offers a new PSC sign-in instead of a PIN', async () => {
    browse = true;
    await page.getByTestId('sign-in-psc').click();
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 20_000 }).toContain('DUFAU');
    await page.getByTestId('patient-list').waitFor();

    await page.getByRole('button', { name: 'Verrouiller' }).click();
    await page.getByTestId('psc-reconnect').waitFor();
    expect(await page.locator('#signin-pin').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'psc-lock.png') });
    await page.getByTestId('psc-reconnect').click();
    await expect.poll(() => page.getByTestId('psc-reconnect').count(), { timeout: 20_000 }).toBe(0);
    await page.getByTestId('patient-list').waitFor();
  });
});

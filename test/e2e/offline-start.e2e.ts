/**
 * Offline start with a card (issue 16), in Chromium against the web host: the GP signs in online
 * once, signs out; the platform goes down; the same card and PIN (a wrong PIN still refused) open
 * the local store: the cached journal with the offline banner. The platform comes back: the
 * window asks for the PIN, and the session is online again.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { DEMO_GP_ID } from '../../sandbox/seed/index';
import { testPki } from '../fixtures/pki/pki';
import { ROOT, contextOf, openAppPage, relaisCli, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const gpCard: FakeToken = { label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' };

let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  // The offline session probes the platform every 10 s by default; a test need not wait that long.
  process.env.RELAIS_OFFLINE_PROBE_MS = '300';
  app = await startApp({ card: new FakeCardReader(gpCard) });
  ({ browser, page } = await openAppPage(app));
  patient = (await app.platform.listPatientsFollowedBy(DEMO_GP_ID)).find((p) => p.ins)!;
});

afterAll(async () => {
  delete process.env.RELAIS_OFFLINE_PROBE_MS;
  await browser?.close();
  await app?.close();
});

async function signIn(pin: string): Promise<void> {
  await page.locator('#signin-screen-pin').fill(pin);
  await page.keyboard.press('Enter');
}

async function launchPatient(): Promise<void> {
  await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
  await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 20_000 }).toContain(patient.birthName);
  await page.getByTestId('journal-entry').first().waitFor();
}

describe('offline start with a card seen online (web host, Chromium)', () => {
  it('platform down → card + PIN → cached journal with the offline banner → platform back → PIN → online', async () => {
    // Once online: the holder is recognised on this machine from now on, the journal is cached.
    await page.getByTestId('sign-in-screen').waitFor();
    await signIn('1234');
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 15_000 }).toContain('DUFAU');
    await launchPatient();
    const newestOnline = await page.getByTestId('journal-entry').first().getAttribute('data-entry-id');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-screen').waitFor();

    await app.stopSandbox();
    await signIn('0000');
    await expect.poll(() => page.getByTestId('sign-in-screen').textContent()).toContain('Il reste 2 essais');
    await signIn('1234');
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 15_000 }).toContain('DUFAU');
    await launchPatient();
    // The same journal, from the store: its newest entry is the one seen online.
    expect(await page.getByTestId('journal-entry').first().getAttribute('data-entry-id')).toBe(newestOnline);
    await expect.poll(() => page.getByTestId('offline-banner').textContent(), { timeout: 20_000 }).toMatch(/Hors ligne/);
    await expect.poll(() => page.locator('.online-indicator').getAttribute('class')).toContain('online-indicator--offline');
    await page.screenshot({ path: join(SHOTS, 'offline-start.png') });

    // The platform answers again: the PIN is asked for, and the session goes online.
    await app.restartSandbox();
    await page.locator('#signin-pin').waitFor({ timeout: 30_000 });
    await page.locator('#signin-pin').fill('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.online-indicator').getAttribute('class'), { timeout: 60_000 }).toContain('online-indicator--online');
    expect(await page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
  });
});

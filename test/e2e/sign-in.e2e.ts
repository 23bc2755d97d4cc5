import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { testPki } from '../fixtures/pki/pki';
import { ROOT, contextOf, openAppPage, relaisCli, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const gpCard: FakeToken = { label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' };
const secretaryCard: FakeToken = {
  label: 'CPE LABEYRIE',
  serial: 'SEC-0001',
  certificatePem: testPki().secretary.certificatePem,
  privateKeyPem: testPki().secretary.privateKeyPem,
  pin: '5678',
};

let app: AppFixture;
let reader: FakeCardReader;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  reader = new FakeCardReader(gpCard);
  app = await startApp({ card: reader });
  ({ browser, page } = await openAppPage(app));
  patient = await app.platform.getPatient(BENCH_PATIENT_500.id);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('signing in on a shared install (card reader, no demo identity)', () => {
  it('starts on the sign-in screen, holds a launch from the practice software, opens it after the PIN', async () => {
    const screen = page.getByTestId('sign-in-screen');
    await screen.waitFor();
    await expect.poll(() => page.getByTestId('card-holder').textContent()).toContain('Hélène DUFAU');
    expect(await page.getByTestId('sign-in-demo').count()).toBe(0);
    expect(await page.getByTestId('patient-list').count()).toBe(0);

    // The GP clicks in their software before signing in: Relais waits, and says so.
    const launch = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
    expect(launch.status).not.toBe(0);
    await expect.poll(() => screen.textContent()).toContain('il s’ouvrira dès la connexion');
    expect(await page.content()).not.toContain(patient.birthName);
    await page.screenshot({ path: join(SHOTS, 'sign-in-screen.png') });

    await page.locator('#signin-screen-pin').fill('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.textContent()).toContain('Il reste 2 essais');

    await page.locator('#signin-screen-pin').fill('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    expect(await page.locator('.professional-name').textContent()).toContain('DUFAU');
  });

  it('swapping cards: removal locks, the secretary’s card and PIN open her own profile with her rights', async () => {
    reader.remove();
    await page.locator('#signin-pin').waitFor();
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    reader.insert(secretaryCard);
    await page.waitForTimeout(300); // one poll of the reader (100 ms here) reads the new card
    await page.locator('#signin-pin').fill('5678');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 15_000 }).toContain('LABEYRIE');
    // Her window starts empty: nothing of the GP's screen survived the switch.
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    const session = await app.host.composition.dispatch('session.current', {});
    expect(session).toMatchObject({ ok: true, value: { role: 'secretary' } });
    await page.screenshot({ path: join(SHOTS, 'secretary-signed-in.png') });
  });

  it('signing out returns to the sign-in screen and closes the profile', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-screen').waitFor();
    expect(app.host.session.status().signedIn).toBe(false);
    const refused = await app.host.session.dispatch('patient.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});

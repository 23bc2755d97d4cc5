import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 1366, height: 860 }));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('« Journal des accès » (web host, Chromium)', () => {
  it('shows the opening of a patient in French, filters by patient, verifies the chain and exports CSV', async () => {
    const patients: Patient[] = await app.host.composition.core.handlers['patient.list']({});
    const patient = patients.find((p) => p.id === 'pat-02')!;
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);

    // Keyboard: the top bar button, then the screen takes the focus on its back button.
    await page.getByTestId('audit-open').focus();
    await page.keyboard.press('Enter');
    const screen = page.getByTestId('audit-screen');
    await screen.waitFor();
    expect(await page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('data-testid')")).toBe('audit-close');
    await expect.poll(() => page.getByTestId('audit-integrity').textContent(), { timeout: 10_000 }).toMatch(/^✓ Intégrité vérifiée \(\d+ traces?\)/);
    const opened = page.locator('[data-testid="audit-table"] tbody tr[data-action="patient.open"]').first();
    await opened.waitFor();
    const cells = await opened.locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(cells[1]).toBe('Ouverture du dossier');
    expect(cells[2]).toContain(patient.birthName);

    await page.getByTestId('audit-patient').selectOption('pat-02');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect
      .poll(async () => (await page.locator('[data-testid="audit-table"] tbody tr td:nth-child(3)').allTextContents()).every((c) => c.includes(patient.birthName)))
      .toBe(true);
    await page.screenshot({ path: join(SHOTS, 'audit-trail.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(download.suggestedFilename()).toMatch(/^journal-des-acces-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.split('\r\n')[0]).toBe('Date,Professionnel,Action,Patient,Détail,Empreinte');
    expect(csv).toMatch(/,patient\.open,pat-02,e2e,[0-9a-f]{64}\r\n/);

    await page.getByTestId('audit-close').click();
    await page.getByTestId('patient-name').waitFor();
  });
});

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';
import { editCarePlanOnPlatform } from '../support/platform-pps';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;
let patients: Patient[];

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 1440, height: 900 }));
  patients = await app.host.composition.core.handlers['patient.list']({});
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(id: string): Promise<Patient> {
  const patient = patients.find((p) => p.id === id)!;
  await app.host.composition.core.launch(contextOf(patient), 'e2e');
  await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
  await page.getByTestId('pps-edit').waitFor({ timeout: 15_000 });
  return patient;
}

describe('« Modifier le PPS » (web host, Chromium, real sandbox)', () => {
  it('edits an objective and the review date, sends, and the panel and the journal show it', async () => {
    await open('pat-06');
    await page.getByTestId('pps-edit').click();
    const dialog = page.getByTestId('pps-edit-dialog');
    await dialog.waitFor();
    const first = dialog.getByTestId('pps-edit-objective').first();
    await first.getByLabel('Objectif', { exact: true }).fill('Marcher 20 minutes par jour avec la canne');
    await first.getByLabel('Atteint').check();
    await dialog.getByRole('button', { name: 'Ajouter un objectif' }).click();
    const added = dialog.getByTestId('pps-edit-objective').last();
    await added.getByLabel('Objectif', { exact: true }).fill('Préparer le retour de la fille pour l’été');
    await added.getByLabel('Priorité').selectOption('medium');
    const review = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByTestId('pps-edit-review').fill(review);
    await dialog.screenshot({ path: join(SHOTS, 'pps-edit-dialog.png') });
    await dialog.getByTestId('pps-edit-send').click();

    const panel = page.getByTestId('panel-pps');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('Préparer le retour de la fille pour l’été');
    expect(await panel.textContent()).toContain('Marcher 20 minutes par jour avec la canne');
    expect(await page.getByTestId('pps-next-review').textContent()).toBe(review.split('-').reverse().join('/'));
    await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain('PPS mis à jour : objectif atteint « Marcher 20 minutes');
    await page.screenshot({ path: join(SHOTS, 'pps-edit-after.png') });
  });

  it('a PPS changed meanwhile: the window says so in French and gives the edits back on the new version', async () => {
    await open('pat-07');
    await page.getByTestId('pps-edit').click();
    const dialog = page.getByTestId('pps-edit-dialog');
    const first = dialog.getByTestId('pps-edit-objective').first();
    await first.getByLabel('Objectif', { exact: true }).fill('Objectif réécrit pendant qu’un autre modifiait le PPS');
    // Someone else's software updates the plan while the GP is typing.
    const ppsId = (await app.host.composition.core.handlers['patient.panels']({ patientId: 'pat-07' })).pps!.id;
    await editCarePlanOnPlatform(app.sandboxUrl, ppsId, (plan) => {
      plan.description = 'Appeler le 15 en cas de chute.';
    });
    await dialog.getByTestId('pps-edit-send').click();

    const conflict = page.getByTestId('pps-conflict');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await conflict.textContent()).toContain('Le PPS a été modifié depuis votre ouverture');
    await page.getByTestId('panel-pps').screenshot({ path: join(SHOTS, 'pps-edit-conflict.png') });
    await page.getByTestId('pps-resume').click();
    await dialog.waitFor();
    expect(await dialog.getByTestId('pps-edit-objective').first().getByLabel('Objectif', { exact: true }).inputValue()).toBe(
      'Objectif réécrit pendant qu’un autre modifiait le PPS',
    );
    await dialog.getByTestId('pps-edit-send').click();
    const panel = page.getByTestId('panel-pps');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('Objectif réécrit pendant qu’un autre modifiait le PPS');
    expect(await panel.textContent()).toContain('Appeler le 15 en cas de chute.');
    expect(await page.getByTestId('pps-conflict').count()).toBe(0);
  });
});

/**
 * E-prescription in Debian's Chromium against the web host and the sandbox: the GP opens a
 * patient, composes two lines (one ALD), closes and reopens (the draft is kept), previews the
 * PDF, signs and sends; the journal shows « Ordonnance » with its PDF and the treatments panel
 * the two drugs. Screenshots in test-results/.
 */
import type { MedicationRequest } from '@medplum/fhirtypes';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 1440, height: 1000 }));
  const patients = await app.host.composition.core.handlers['patient.list']({});
  patient = patients.find((p) => p.id === 'pat-01')!;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function fill(line: number, label: string, value: string): Promise<void> {
  await page.getByTestId('prescription-line').nth(line).getByLabel(label, { exact: false }).first().fill(value);
}

describe('e-prescription (web host, Chromium)', () => {
  it('composes, keeps the draft, previews, signs and sends; the journal and the treatments show it', async () => {
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);

    // Keyboard reachable: the action is a real button.
    const open = page.getByTestId('prescription-open');
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('prescription-dialog');
    await dialog.getByTestId('identity-banner').waitFor();
    await fill(0, 'Médicament', 'Bisoprolol 2,5 mg, comprimé');
    await fill(0, 'Posologie en texte libre', '1 comprimé le matin');
    await fill(0, 'Voie', 'voie orale');
    await fill(0, 'Durée', '90');
    await fill(0, 'Renouvellements', '2');
    await page.getByTestId('prescription-line').nth(0).getByLabel('En rapport avec l’ALD').check();

    // Closing keeps the draft (saved in the store), reopening offers it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await open.click();
    await expect.poll(() => page.getByTestId('prescription-line').nth(0).getByLabel('Médicament').inputValue()).toBe('Bisoprolol 2,5 mg, comprimé');

    await dialog.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await fill(1, 'Médicament', 'Paracétamol 1 g, comprimé');
    // Sending an incomplete line is refused on the spot, in French, and nothing typed is lost.
    await dialog.getByTestId('prescription-send').click();
    await expect.poll(() => page.getByTestId('prescription-errors').textContent()).toContain('manque');
    await expect.poll(() => dialog.locator('.field-error').first().textContent()).toContain('À renseigner');
    expect(await page.getByTestId('prescription-line').nth(1).getByLabel('Médicament').inputValue()).toBe('Paracétamol 1 g, comprimé');
    await fill(1, 'Posologie en texte libre', '1 comprimé 3 fois par jour si douleur');
    await fill(1, 'Voie', 'voie orale');
    await fill(1, 'Durée', '5');
    await fill(1, 'Nombre de boîtes', '1');
    await fill(1, 'Consignes', 'Pas plus de 3 g par jour ; espacer les prises d’au moins 6 h');

    await dialog.getByRole('button', { name: 'Aperçu' }).click();
    const preview = page.getByTestId('prescription-preview');
    await preview.waitFor({ timeout: 15_000 });
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    await page.waitForTimeout(2500); // let Chromium's PDF viewer paint before the screenshot (not an assertion)
    await page.screenshot({ path: join(SHOTS, 'prescription-preview.png') });
    await dialog.screenshot({ path: join(SHOTS, 'prescription-composer.png') });
    await preview.screenshot({ path: join(SHOTS, 'prescription-pdf.png') });

    // Without a card the button says what happens: the demo identity sends it unsigned, to print.
    expect(await dialog.getByTestId('prescription-send').textContent()).toBe('Envoyer (non signée — démonstration)');
    await dialog.getByTestId('prescription-send').click();
    await dialog.getByTestId('prescription-printed').waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The journal shows the ordonnance (pending, then published with its PDF).
    // The scripted nurse's reply quotes the ordonnance: the entry wanted is the ordonnance itself.
    const entry = page.getByTestId('journal-entry').filter({ hasText: 'Ordonnance du', hasNotText: 'En réponse à' }).first();
    await entry.waitFor({ timeout: 15_000 });
    await expect.poll(() => entry.getByTestId('pending-marker').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('journal-entry').filter({ hasText: 'Ordonnance du', hasNotText: 'En réponse à' }).first().textContent(), { timeout: 20_000 }).toContain('.pdf');

    // The treatments panel lists both lines once the platform has them.
    const treatments = page.getByTestId('panel-treatments');
    await expect.poll(() => treatments.textContent(), { timeout: 20_000 }).toContain('Bisoprolol 2,5 mg, comprimé');
    await expect.poll(() => treatments.textContent(), { timeout: 20_000 }).toContain('Paracétamol 1 g, comprimé');
    await page.screenshot({ path: join(SHOTS, 'prescription-sent.png') });

    // On the platform: two MedicationRequests sharing one groupIdentifier.
    const res = await fetch(`${app.sandboxUrl}/MedicationRequest?subject=Patient/${patient.id}&_count=500`);
    const mrs = ((await res.json()) as { entry?: { resource: MedicationRequest }[] }).entry?.map((e) => e.resource) ?? [];
    const mine = mrs.filter((m) => ['Bisoprolol 2,5 mg, comprimé', 'Paracétamol 1 g, comprimé'].includes(m.medicationCodeableConcept?.text ?? '') && m.groupIdentifier);
    expect(mine).toHaveLength(2);
    expect(new Set(mine.map((m) => m.groupIdentifier?.value)).size).toBe(1);
    // The draft is gone once sent: a new ordonnance starts empty.
    await open.click();
    await expect.poll(() => page.getByTestId('prescription-line').nth(0).getByLabel('Médicament').inputValue()).toBe('');
  });
});

/**
 * Prescribing from the drug database (issue 14) in Debian's Chromium against the web host and the
 * sandbox: the GP searches « amoxi », picks a DCI line, sets the posology with the structured
 * fields; a stupéfiant line shows the secure-ordonnance rules and its quantities in words; a
 * hospital-only drug is refused with its reason; the ordonnance is printed for signature and the
 * platform gets one MedicationRequest per line (contained Medication, structured dosage).
 * Screenshots of the composer at 1366 px and 400 px in docs/screens/.
 */
import type { DocumentReference, Medication, MedicationRequest } from '@medplum/fhirtypes';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { SHOTS as SCREENS, launchPatient, startE2eSession, type E2eSession } from '../support/e2e-session';

let s: E2eSession;
let app: E2eSession['app'];
let page: Page;
let patient: Patient;

beforeAll(async () => {
  s = await startE2eSession({ viewport: { width: 1366, height: 900 } });
  ({ app, page } = s);
  const patients = await app.host.composition.core.handlers['patient.list']({});
  patient = patients.find((p) => p.id === 'pat-01')!;
});

afterAll(async () => {
  await s?.close();
});

const lineAt = (i: number): Locator => page.getByTestId('prescription-line').nth(i);

/** Types in the medication field and picks the first hit the predicate accepts. */
async function pick(i: number, typed: string, hitText: RegExp): Promise<void> {
  const input = lineAt(i).getByTestId('drug-search');
  await input.click();
  await input.pressSequentially(typed, { delay: 40 });
  const hit = lineAt(i).getByTestId('drug-hit').filter({ hasText: hitText }).first();
  await hit.waitFor({ timeout: 60_000 });
  await hit.dispatchEvent('mousedown');
}

describe('prescribing from the BDPM (web host, Chromium)', () => {
  it('DCI line with structured posology, a stupéfiant in words, a hospital-only drug refused, printed for signature', async () => {
    await launchPatient(s, patient);
    await page.getByTestId('prescription-open').click();
    const dialog = page.getByTestId('prescription-dialog');
    await dialog.getByTestId('identity-banner').waitFor();
    // The release in use (built from the shipped extract at first use).
    await expect.poll(() => dialog.getByTestId('drug-release').textContent(), { timeout: 90_000 }).toContain('données au 18/01/2021');
    await expect.poll(() => dialog.getByTestId('prescription-side').textContent(), { timeout: 20_000 }).toContain('Traitements en cours');

    // 1. « amoxi » → a DCI line (DCI lines come first), then the structured posology.
    await pick(0, 'amoxi', /^DCI.*Amoxicilline 500 mg, gélule/);
    expect(await lineAt(0).getByTestId('drug-kind').textContent()).toBe('Prescrit en DCI');
    expect(await lineAt(0).getByTestId('drug-search').inputValue()).toBe('Amoxicilline 500 mg, gélule');
    expect(await lineAt(0).getByTestId('drug-rules').textContent()).toContain('Liste I');
    expect(await lineAt(0).getByLabel('Voie').inputValue()).toBe('voie orale');
    await lineAt(0).getByLabel('Dose par prise').fill('2');
    expect(await lineAt(0).getByLabel('Unité').inputValue()).toBe('gélule');
    for (const m of ['matin', 'midi', 'soir']) await lineAt(0).getByLabel(m, { exact: true }).check();
    await lineAt(0).getByLabel('Durée').fill('7');
    await expect.poll(() => lineAt(0).getByTestId('posology-sentence').textContent()).toContain('2 gélules matin, midi et soir pendant 7 jours');

    // 2. A stupéfiant: the secure-ordonnance rules, renewals locked at 0, quantities in words.
    await dialog.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await pick(1, 'skenan', /^Spécialité.*SKENAN L\.P\. 10 mg/);
    expect(await lineAt(1).getByTestId('drug-rules').textContent()).toContain('Stupéfiant : ordonnance sécurisée, quantités écrites en toutes lettres, 28 jours au plus, pas de renouvellement.');
    expect(await lineAt(1).getByLabel('Renouvellements').isDisabled()).toBe(true);
    await lineAt(1).getByLabel('Dose par prise').fill('1');
    await lineAt(1).getByLabel('Unité').fill('gélule');
    for (const m of ['matin', 'soir']) await lineAt(1).getByLabel(m, { exact: true }).check();
    await lineAt(1).getByLabel('Durée').fill('14');
    await expect.poll(() => lineAt(1).getByTestId('posology-sentence').textContent()).toContain('une (1) gélule matin et soir pendant quatorze (14) jours');

    // 3. A hospital-only drug: refused at once, with the BDPM's reason.
    await dialog.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await pick(2, 'adempas', /^Spécialité.*ADEMPAS/);
    await expect.poll(() => lineAt(2).getByTestId('drug-rules').textContent()).toMatch(/Prescription refusée en ville : « prescription (hospitalière|réservée)/);
    await expect.poll(() => lineAt(2).locator('.field-error').first().textContent()).toContain('ne peut pas être prescrit ici');
    await lineAt(2).getByLabel('Dose par prise').fill('1');
    await lineAt(2).getByLabel('Unité').fill('comprimé');
    await lineAt(2).getByLabel('Prises par jour').fill('3');
    await lineAt(2).getByLabel('Durée').fill('30');
    await dialog.getByTestId('prescription-send').click();
    await expect.poll(() => dialog.getByTestId('prescription-errors').textContent()).toContain('incorrecte');
    expect(await dialog.getByTestId('prescription-printed').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Retirer la ligne 3' }).click();

    // Preview (watermarked « Aperçu — non valable » in the PDF), then the composer's screenshots.
    await dialog.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByTestId('prescription-preview').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2500); // let Chromium's PDF viewer paint before the screenshot (not an assertion)
    await dialog.evaluate((d) => d.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENS, 'prescription-composer-1366.png') });
    await page.setViewportSize({ width: 400, height: 860 });
    await page.waitForTimeout(500);
    await dialog.evaluate((d) => d.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENS, 'prescription-composer-400.png') });
    await page.setViewportSize({ width: 1366, height: 900 });

    // The button says what happens; never « Signer » without a card: the demo identity sends an
    // ordonnance marked « Non signée — démonstration », shown to print.
    const send = dialog.getByTestId('prescription-send');
    expect(await send.textContent()).toBe('Envoyer (non signée — démonstration)');
    expect(await dialog.textContent()).not.toContain('Signer');
    await send.click();
    await dialog.getByTestId('prescription-printed').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('prescription-print-pdf').getAttribute('src')).toMatch(/^blob:/);
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The journal entry (quantities in words for the stupéfiant) and the platform's resources.
    const entry = page.getByTestId('journal-entry').filter({ hasText: 'Ordonnance du', hasNotText: 'En réponse à' }).first();
    await entry.waitFor({ timeout: 20_000 });
    await expect.poll(() => entry.textContent(), { timeout: 30_000 }).toContain('quatorze (14) jours');
    await expect.poll(() => entry.getByTestId('pending-marker').count(), { timeout: 30_000 }).toBe(0);
    const mrs = await s.search<MedicationRequest>(`MedicationRequest?subject=Patient/${patient.id}&_count=500`);
    const amox = mrs.find((m) => m.medicationReference?.display === 'Amoxicilline 500 mg, gélule')!;
    expect(amox.dosageInstruction?.[0]).toMatchObject({
      text: '2 gélules matin, midi et soir pendant 7 jours',
      timing: { repeat: { when: ['MORN', 'NOON', 'EVE'] } },
      doseAndRate: [{ doseQuantity: { value: 2, unit: 'gélule' } }],
      route: { coding: [{ system: 'http://standardterms.edqm.eu', code: '20053000' }] },
    });
    expect((amox.contained?.[0] as Medication).code).toEqual({ text: 'Amoxicilline 500 mg, gélule' });
    const skenan = mrs.find((m) => m.medicationReference?.display?.includes('SKENAN'))!;
    expect((skenan.contained?.[0] as Medication).code?.coding?.[0]?.system).toBe('urn:oid:1.2.250.1.213.2.3.1');
    expect(skenan.dispenseRequest?.numberOfRepeatsAllowed).toBe(0);
    expect(amox.groupIdentifier?.value).toBe(skenan.groupIdentifier?.value);
    const docs = await s.search<DocumentReference>(`DocumentReference?subject=Patient/${patient.id}&_count=500`);
    const pdfs = docs.flatMap((d) => d.content ?? []);
    expect(pdfs.some((c) => c.attachment?.contentType === 'application/pdf' && /Ordonnance du/.test(c.attachment.title ?? ''))).toBe(true);
  });
});

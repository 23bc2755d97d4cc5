/**
 * What a practice secretary does from the agenda column (here as the demo GP, who has the same
 * permissions): book an appointment, send a hospital admission request; both are shown in the
 * window, then confirmed by the platform (real sandbox, web host, Debian's Chromium).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const MOTIVE = 'Bilan sanguin à domicile (NFS, ionogramme)';
const ADMISSION_MOTIVE = 'Décompensation cardiaque : prise de poids de 3 kg en une semaine';

let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

const localDay = (offsetDays: number): string => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function search<T>(query: string): Promise<T[]> {
  const res = await fetch(`${app.sandboxUrl}/${query}`);
  const bundle = (await res.json()) as { entry?: { resource: T }[] };
  return (bundle.entry ?? []).map((e) => e.resource);
}

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 1440, height: 900 }));
  patient = await app.platform.getPatient('pat-01');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('agenda and admission requests (web host, Chromium)', () => {
  it('books an appointment and sends an admission request; both shown, then on the platform', async () => {
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    const agenda = page.getByTestId('panel-appointments');
    await agenda.waitFor();

    // --- appointment: inline validation first, then a booking with a care-team member
    await agenda.getByTestId('appointment-book').click();
    const dialog = page.getByTestId('appointment-dialog');
    await dialog.getByRole('button', { name: 'Enregistrer le rendez-vous' }).click();
    await expect.poll(() => dialog.locator('.form-error').count()).toBeGreaterThanOrEqual(3);
    // The first wrong field has the focus (keyboard users land on it).
    // (a French date field: jj/mm/aaaa whatever the browser's locale, issue 12)
    expect(await page.evaluate<boolean | null>("document.activeElement && document.activeElement.hasAttribute('data-date-input')")).toBe(true);
    await dialog.getByLabel('Date').fill(localDay(7));
    await dialog.getByLabel('Heure').fill('10:30');
    await dialog.getByLabel('Durée').selectOption('20');
    await dialog.getByLabel('Avec').selectOption({ index: 1 });
    const withWhom = (await dialog.getByLabel('Avec').locator('option:checked').textContent())!;
    await dialog.getByLabel('Motif').fill(MOTIVE);
    await page.screenshot({ path: join(SHOTS, 'agenda-book-dialog.png') });
    await dialog.getByRole('button', { name: 'Enregistrer le rendez-vous' }).press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const booked = agenda.getByTestId('appointment').filter({ hasText: MOTIVE });
    await booked.waitFor();
    expect(await booked.textContent()).toContain(withWhom.split(' — ')[0]!);
    // Confirmed by the platform: the pending mark goes, « Déplacer » / « Annuler » appear.
    await expect.poll(() => booked.getAttribute('data-change'), { timeout: 15_000 }).toBeNull();
    await booked.getByRole('button', { name: /^Déplacer le rendez-vous/ }).waitFor();
    const onPlatform = await search<{ description: string; status: string }>(`Appointment?patient=Patient/${patient.id}&_count=100`);
    expect(onPlatform.filter((a) => a.description === MOTIVE)).toEqual([expect.objectContaining({ status: 'booked' })]);

    // --- admission request
    const admissions = page.getByTestId('panel-admissions');
    await admissions.getByTestId('admission-new').click();
    const form = page.getByTestId('admission-dialog');
    await expect.poll(() => form.getByLabel('Établissement').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    await form.getByLabel('Admission directe non programmée').check();
    await form.getByLabel('Établissement').selectOption({ label: 'Centre hospitalier de Mont-de-Marsan' });
    await form.getByLabel('Service').fill('Cardiologie');
    await form.getByLabel('Date souhaitée').fill(localDay(1));
    await form.getByLabel('Motif').fill(ADMISSION_MOTIVE);
    await form.getByLabel('Résumé clinique (facultatif)').fill('ICC connue, FEVG 35 %. Dyspnée de repos depuis 48 h.');
    await form.getByLabel('Préparer le retour à domicile avec l’équipe de coordination').check();
    await form.getByTestId('admission-files').setInputFiles({ name: 'ECG.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 ecg') });
    await form.getByText('ECG.pdf').waitFor();
    await page.screenshot({ path: join(SHOTS, 'admission-dialog.png') });
    await form.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect.poll(() => form.isVisible()).toBe(false);

    const request = admissions.getByTestId('admission').filter({ hasText: ADMISSION_MOTIVE });
    await request.waitFor();
    await expect.poll(() => request.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    const text = (await request.textContent())!;
    expect(text).toContain('Admission directe non programmée');
    expect(text).toContain('Centre hospitalier de Mont-de-Marsan — Cardiologie');
    expect(text).toContain('Envoyée');
    expect(text).toContain('Résumé clinique joint');
    // The care team sees it in the journal.
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain("Demande d'admission envoyée : Centre hospitalier de Mont-de-Marsan — Cardiologie.");
    const srs = await search<{ priority: string; reasonCode: { text: string }[] }>(`ServiceRequest?subject=Patient/${patient.id}`);
    expect(srs.filter((s) => s.reasonCode[0]?.text === ADMISSION_MOTIVE)).toEqual([expect.objectContaining({ priority: 'urgent' })]);
    await booked.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'agenda-admission.png') });
    await request.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'agenda-admission-list.png') });

    // --- cancelling the appointment: a reason is required, then the platform has it cancelled.
    await booked.getByRole('button', { name: /^Annuler le rendez-vous/ }).click();
    const cancel = page.getByTestId('cancel-appointment-dialog');
    await cancel.getByRole('button', { name: "Confirmer l'annulation" }).click();
    await cancel.locator('.form-error').first().waitFor();
    await cancel.getByLabel("Motif de l'annulation").fill('Patient hospitalisé');
    await cancel.getByRole('button', { name: "Confirmer l'annulation" }).click();
    await expect.poll(() => cancel.isVisible()).toBe(false);
    await expect
      .poll(async () => (await search<{ description: string; status: string }>(`Appointment?patient=Patient/${patient.id}&_count=100`)).find((a) => a.description === MOTIVE)?.status, {
        timeout: 15_000,
      })
      .toBe('cancelled');
  });
});

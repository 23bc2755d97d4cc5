/**
 * Issue 13, « Demander l'appui de la cellule »: the GP asks the territory's support cell (DAC des
 * Landes for a Landes patient) with three fields; the request shows pending then sent in the
 * « Demandes d'appui » panel and in the journal; the cell's scripted coordinator
 * (sandbox/actors/coordinator.ts) takes it through every step; the panel ticks each step and the
 * journal shows each of them (real sandbox, web host, Debian's Chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { advanceSupportRequests } from '../../sandbox/actors/coordinator';
import { SHOTS, landesPatientIds, launchPatient, startE2eSession, type E2eSession } from '../support/e2e-session';

let s: E2eSession;
let page: Page;
let patient: Patient;
const search = <T>(query: string): Promise<T[]> => s.search<T>(query);

beforeAll(async () => {
  s = await startE2eSession();
  page = s.page;
  // A regular patient living in the Landes (home postal code 40000), with an INS.
  patient = await s.app.platform.getPatient((await landesPatientIds(s))[0]!);
});

afterAll(async () => {
  await s?.close();
});

describe('support cell request (web host, Chromium)', () => {
  it('the GP asks the cell, the coordinator accepts, each step shows in the panel and the journal', async () => {
    await launchPatient(s, patient);
    const panel = page.getByTestId('panel-support');
    await panel.waitFor();
    await page.getByTestId('support-request-open').click();
    const dialog = page.getByTestId('support-request-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The cell of the patient's territory, found by the platform's HealthcareService coverage.
    await expect.poll(() => dialog.getByTestId('support-cell').textContent(), { timeout: 15_000 }).toContain('DAC des Landes');
    // Pre-filled from the care team.
    await expect.poll(() => dialog.getByTestId('support-in-place').inputValue()).toContain('Infirmi');

    // Nothing chosen: the three required fields are named.
    await dialog.getByRole('button', { name: 'Envoyer à la cellule' }).click();
    await expect.poll(() => dialog.locator('.form-error').count()).toBe(3);

    await dialog.getByLabel('Pourquoi ?').selectOption({ label: 'Retour à domicile' });
    await dialog.getByLabel('Évaluation de la situation').check();
    await dialog.getByLabel('PPS', { exact: true }).check();
    await dialog.getByLabel(/est d’accord avec cette demande/).check();
    await page.screenshot({ path: join(SHOTS, 'support-request-dialog.png') });
    await dialog.getByRole('button', { name: 'Envoyer à la cellule' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const item = panel.getByTestId('support-request').first();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain("Demande d'appui à Cellule d’appui — DAC des Landes : Retour à domicile");

    // On the platform: one ServiceRequest to the cell and its Task owned by the DAC.
    const srs = await search<{ id: string; performer: { reference: string }[]; orderDetail: { coding: { code: string }[] }[] }>(
      `ServiceRequest?subject=Patient/${patient.id}&category=${encodeURIComponent('https://relais.example/fhir/CodeSystem/coordination-request|support-cell')}`,
    );
    expect(srs).toHaveLength(1);
    expect(srs[0]!.performer[0]!.reference).toBe('HealthcareService/hs-dac-landes');
    expect(srs[0]!.orderDetail.map((d) => d.coding[0]!.code).sort()).toEqual(['assessment', 'pps']);
    const tasks = await search<{ status: string; owner: { reference: string } }>(`Task?based-on=ServiceRequest/${srs[0]!.id}`);
    expect(tasks).toEqual([expect.objectContaining({ status: 'requested', owner: expect.objectContaining({ reference: 'Organization/org-dac-landes' }) })]);

    // The cell's coordinator takes it through its five steps; the GP's Relais syncs on reopening.
    expect(await advanceSupportRequests(s.app.sandboxUrl)).toBe(5);
    await launchPatient(s, patient);
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 20_000 }).toBe('pps-started');
    await expect.poll(() => item.locator('[data-done="true"]').count()).toBe(5);
    expect(await item.textContent()).toContain('Coordinatrice : Marie LARRIEU');
    const journal = page.getByTestId('journal');
    for (const text of ['demande reçue', 'demande acceptée', 'Marie LARRIEU est la coordinatrice', 'premier contact avec le patient', 'élaboration du PPS engagée']) {
      await expect.poll(() => journal.textContent(), { timeout: 20_000 }).toContain(text);
    }
    const [task] = await search<{ status: string; owner: { reference: string } }>(`Task?based-on=ServiceRequest/${srs[0]!.id}`);
    expect(task).toEqual(expect.objectContaining({ status: 'in-progress', owner: expect.objectContaining({ reference: 'PractitionerRole/role-larrieu' }) }));
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'support-request-steps.png') });

    // At 400 px wide the panel stays legible.
    // At panel width the chart shows the journal or the synthesis (tabs under the banner), and the
    // synthesis one panel at a time: « Synthèse », then « Appui ».
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('view-panels').click();
    await page.getByTestId('panels').getByRole('tab', { name: 'Appui', exact: true }).click();
    await expect.poll(() => panel.isVisible(), { timeout: 10_000 }).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'support-request-narrow.png') });
  });
});

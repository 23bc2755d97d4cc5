/**
 * Issue 13, roles: the practice secretary (CPE card, platform policy enforced) asks the support
 * cell on the GP's behalf — without the medical details field — and fills the programmed
 * admission's checklist; each tick says who did it. Real sandbox with card sign-in, web host,
 * Debian's Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Establishment, OutboxItem, Patient } from '../../contract';
import type { FakeToken } from '../../native-bridges/card/fake-reader';
import { DEMO_GP_ID } from '../../sandbox/seed/index';
import { testPki } from '../fixtures/pki/pki';
import { SHOTS, openFromList, signInWithCard, startE2eSession, type E2eSession } from '../support/e2e-session';
const secretaryCard: FakeToken = {
  label: 'CPE LABEYRIE',
  serial: 'SEC-0001',
  certificatePem: testPki().secretary.certificatePem,
  privateKeyPem: testPki().secretary.privateKeyPem,
  pin: '5678',
};

let s: E2eSession;
let app: E2eSession['app'];
let page: Page;
let patient: Patient;

beforeAll(async () => {
  s = await startE2eSession({ card: secretaryCard });
  ({ app, page } = s);
  const gpPatients = await app.platform.listPatientsFollowedBy(DEMO_GP_ID);
  const hers = new Set((await app.platform.listPatientsFollowedBy('staff-labeyrie')).map((p) => p.id));
  patient = gpPatients.find((p) => p.ins && hers.has(p.id))!;
});

afterAll(async () => {
  await s?.close();
});

describe('the secretary and the support cell (card sign-in, platform policy on)', () => {
  it('sends the cell request on the GP’s behalf and ticks the admission checklist', async () => {
    await signInWithCard(page, secretaryCard.pin, 'LABEYRIE');
    await openFromList(page, patient);

    // Support request: « Pour le compte de » a GP of the care team, no medical details field.
    await page.getByTestId('support-request-open').click();
    const dialog = page.getByTestId('support-request-dialog');
    await expect.poll(() => dialog.getByTestId('support-cell').textContent(), { timeout: 15_000 }).toContain('DAC');
    await expect.poll(() => dialog.getByLabel('Pour le compte de').inputValue()).not.toBe('');
    expect(await dialog.getByText('Éléments médicaux (facultatif)').count()).toBe(0);
    await dialog.getByLabel('Pourquoi ?').selectOption({ label: 'Isolement' });
    await dialog.getByLabel('Suivi téléphonique régulier').check();
    await dialog.getByLabel(/est d’accord avec cette demande/).check();
    await dialog.getByRole('button', { name: 'Envoyer à la cellule' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const item = page.getByTestId('support-request').first();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    expect(await item.textContent()).toContain('envoyée par le secrétariat pour le compte de Dr Hélène DUFAU');

    // A programmed admission she requests (her right), then its checklist.
    const establishments = (await app.host.composition.dispatch('admission.establishments', {})) as { ok: true; value: Establishment[] };
    const admission = (await app.host.composition.dispatch('admission.request', {
      patientId: patient.id,
      establishment: { kind: 'organization', organizationId: establishments.value[0]!.id },
      priority: 'routine',
      desiredDate: new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10),
      motive: 'Pose de prothèse de hanche programmée',
    })) as { ok: true; value: OutboxItem };
    expect(admission.ok).toBe(true);
    const checklist = page.getByTestId('stay-checklist');
    await checklist.waitFor({ timeout: 30_000 });
    await checklist.getByLabel('Transport organisé').click();
    await expect.poll(() => checklist.locator('[data-item="transport"]').getAttribute('data-done'), { timeout: 20_000 }).toBe('true');
    await checklist.getByLabel('Aide à domicile suspendue').click();
    await expect.poll(() => checklist.locator('[data-item="home-help-suspended"]').textContent(), { timeout: 20_000 }).toMatch(/fait par .*LABEYRIE le/);
    await expect.poll(() => checklist.locator('[data-item="transport"]').textContent(), { timeout: 20_000 }).toMatch(/fait par .*LABEYRIE le/);
    expect(await checklist.locator('[data-done="false"]').count()).toBe(6);
    // She never gets the fiche (treatments) nor the reconciliation.
    expect(await page.getByTestId('stay-fiche').count()).toBe(0);
    await checklist.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'secretary-admission-checklist.png') });
    // Every action is in her audit trail.
    const audit = (await app.host.composition.dispatch('audit.list', {})) as { ok: true; value: { entries: { action: string }[] } | { action: string }[] };
    const actions = JSON.stringify(audit.value);
    expect(actions).toContain('supportRequest.create');
    expect(actions).toContain('stay.checklist.tick');
  });
});

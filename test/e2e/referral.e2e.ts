/**
 * The GP refers the patient on screen (« Adresser ») to the SSIAD of the territory: the action is
 * reached with the keyboard, the dialog names what is missing, the referral shows pending then
 * « Envoyé » in the « Adressages » panel, its entry appears in the journal, and the platform holds
 * one ServiceRequest + a Task owned by the SSIAD (real sandbox, web host, Debian's Chromium).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const REASON = 'Perte d’autonomie pour la toilette depuis la fracture du poignet';
const CONTEXT = 'Fracture du radius distal gauche plâtrée le 02/11, douleur contrôlée par paracétamol.';

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

describe('referral (web host, Chromium)', () => {
  it('the GP refers to the SSIAD of her territory (Meuse): shown in the panel and the journal, then on the platform', async () => {
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    const panel = page.getByTestId('panel-referrals');
    await panel.waitFor();

    // Keyboard: « Adresser » takes the focus and opens the dialog with Enter.
    const open = page.getByTestId('referral-open');
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('referral-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);

    // Nothing chosen: the missing fields are named and the first one has the focus.
    await dialog.getByRole('button', { name: 'Adresser' }).click();
    await expect.poll(() => dialog.locator('.form-error').count()).toBe(2);
    expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.tagName')).toBe('SELECT');

    const recipient = dialog.getByLabel('Destinataire');
    await expect.poll(() => recipient.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const ssiad = (await recipient.locator('option', { hasText: 'SSIAD de Verdun' }).textContent())!;
    await recipient.selectOption({ label: ssiad });
    await dialog.getByLabel('Urgent', { exact: true }).check();
    await dialog.getByLabel("Motif de l'adressage").fill(REASON);
    await dialog.getByLabel('Action attendue (facultatif)').fill('Évaluation à domicile et aide à la toilette quotidienne');
    await dialog.getByLabel('Date souhaitée (facultatif)').fill(localDay(2));
    await dialog.getByLabel('Contexte clinique (facultatif)').fill(CONTEXT);
    await dialog.getByTestId('referral-files').setInputFiles({ name: 'courrier-ssiad.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 courrier') });
    await dialog.getByText('courrier-ssiad.pdf').waitFor();
    await page.screenshot({ path: join(SHOTS, 'referral-dialog.png') });
    await dialog.getByRole('button', { name: 'Adresser' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const item = panel.getByTestId('referral').filter({ hasText: REASON });
    await item.waitFor();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    const text = (await item.textContent())!;
    expect(text).toContain('SSIAD de Verdun');
    expect(text).toContain('Urgent');
    expect(text).toContain('Envoyé');
    expect(text).toContain('Contexte clinique joint');
    expect(text).toContain('1 document');

    // The care team sees it in the journal (the context, medical, too for the GP once synced).
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain(`Adressage à SSIAD de Verdun : ${REASON}`);

    const srs = await search<{ id: string; priority: string; reasonCode: { text: string }[]; category: { coding: { code: string }[] }[] }>(`ServiceRequest?subject=Patient/${patient.id}&category=http://snomed.info/sct|3457005`);
    const mine = srs.filter((s) => s.reasonCode[0]?.text === REASON);
    expect(mine).toEqual([expect.objectContaining({ priority: 'urgent' })]);
    const tasks = await search<{ owner?: { reference?: string }; status: string }>(`Task?based-on=ServiceRequest/${mine[0]!.id}`);
    expect(tasks).toEqual([expect.objectContaining({ status: 'requested', owner: expect.objectContaining({ reference: 'Organization/org-ssiad-verdun' }) })]);

    await page.getByTestId('journal').getByText(`Adressage à SSIAD de Verdun : ${REASON}`).first().scrollIntoViewIfNeeded();
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'referral-panel-journal.png') });
  });

  it('« Modifier » on a referral the platform refused: the dialog comes back as typed, the modified one replaces it, the platform holds one', async () => {
    const FIRST = 'Plaie du talon à surveiller, pansement tous les deux jours';
    const MODIFIED = 'Plaie du talon à surveiller, pansement quotidien';
    const EXPECTED = 'Réfection du pansement à domicile';
    // Journal posts (DocumentReference) are refused with a 422: the referral's first write fails for good.
    app.setFaults({ errorRate: 1, status: 422, method: 'POST', pathPrefix: 'DocumentReference' });
    await page.getByTestId('referral-open').click();
    const dialog = page.getByTestId('referral-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const recipient = dialog.getByLabel('Destinataire');
    await expect.poll(() => recipient.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const ssiad = (await recipient.locator('option', { hasText: 'SSIAD de Verdun' }).textContent())!;
    await recipient.selectOption({ label: ssiad });
    await dialog.getByLabel("Motif de l'adressage").fill(FIRST);
    await dialog.getByLabel('Action attendue (facultatif)').fill(EXPECTED);
    await dialog.getByLabel('Contexte clinique (facultatif)').fill(CONTEXT);
    await dialog.getByRole('button', { name: 'Adresser' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const failed = page.getByTestId('outbox-item').filter({ hasText: 'Adressage' }).and(page.locator('[data-status="failed-permanent"]'));
    await failed.waitFor({ timeout: 30_000 });
    const refusedId = (await failed.getAttribute('data-client-id'))!;
    expect(await failed.getByTestId('outbox-retry').count()).toBe(1);
    app.setFaults({});

    // « Modifier »: the dialog again, exactly as typed, saying the send replaces the refused one.
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'referral-refused.png') });
    // A plain click: the buttons must not sit under another column (they did before the item wrapped).
    await failed.getByTestId('outbox-edit').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('refused-edit-notice').textContent()).toContain('remplace la demande refusée');
    expect(await recipient.inputValue()).toBe('organization:org-ssiad-verdun');
    expect(await dialog.getByLabel("Motif de l'adressage").inputValue()).toBe(FIRST);
    expect(await dialog.getByLabel('Action attendue (facultatif)').inputValue()).toBe(EXPECTED);
    expect(await dialog.getByLabel('Contexte clinique (facultatif)').inputValue()).toBe(CONTEXT);
    await page.screenshot({ path: join(SHOTS, 'referral-refused-edit.png') });
    await dialog.getByLabel("Motif de l'adressage").fill(MODIFIED);
    await dialog.getByRole('button', { name: 'Adresser' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The refused item is gone from the outbox; the modified one is sent.
    await expect.poll(() => page.locator(`[data-testid="outbox-item"][data-client-id="${refusedId}"]`).count()).toBe(0);
    const item = page.getByTestId('panel-referrals').getByTestId('referral').filter({ hasText: MODIFIED });
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('requested');
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain(`Adressage à SSIAD de Verdun : ${MODIFIED}`);

    // The platform holds exactly one referral of the two texts: the modified one.
    const srs = await search<{ id: string; reasonCode: { text: string }[] }>(`ServiceRequest?subject=Patient/${patient.id}&category=http://snomed.info/sct|3457005`);
    const texts = srs.map((s) => s.reasonCode[0]?.text).filter((t) => t === FIRST || t === MODIFIED);
    expect(texts).toEqual([MODIFIED]);
    expect(await page.getByTestId('outbox-item').and(page.locator('[data-status="failed-permanent"]')).count()).toBe(0);
  });
});

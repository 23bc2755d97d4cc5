/**
 * Issue 13, hospital stays, as the GP lives them (real sandbox, web host, Debian's Chromium):
 * « Fiche de liaison urgence » — one click, the PDF shows at once, the fiche is in the journal and
 * sent to the establishment (Communication → DocumentReference → PDF Binary); a discharge arrives
 * from the establishment's scripted actor (sandbox/actors/discharge.ts) → an alert for the GP, a
 * « Retour à domicile » task for the cell, and the side-by-side reconciliation of treatments.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { postDischarge } from '../../sandbox/actors/discharge';
import { SHOTS, landesPatientIds, launchPatient, startE2eSession, type E2eSession } from '../support/e2e-session';

let s: E2eSession;
let app: E2eSession['app'];
let page: Page;
let patient: Patient;
const search = <T>(query: string): Promise<T[]> => s.search<T>(query);

beforeAll(async () => {
  s = await startE2eSession();
  ({ app, page } = s);
  // A Landes patient with at least three active treatments (the discharge stops one, changes one).
  for (const id of await landesPatientIds(s)) {
    const active = await search<{ id: string }>(`MedicationRequest?subject=Patient/${id}&status=active`);
    if (active.length >= 3) {
      patient = await app.platform.getPatient(id);
      break;
    }
  }
  if (!patient) throw new Error('no Landes patient with three active treatments');
  await launchPatient(s, patient);
});

afterAll(async () => {
  await s?.close();
});

describe('hospital stays (web host, Chromium)', () => {
  it('one click prints the emergency fiche, joins it to the journal and sends it to the establishment', async () => {
    const panel = page.getByTestId('panel-stays');
    await panel.waitFor();
    const select = panel.getByTestId('stay-establishment');
    await expect.poll(() => select.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await select.selectOption({ label: (await select.locator('option', { hasText: 'Saint-Sever' }).first().textContent())! });
    await panel.getByTestId('stay-fiche').click();
    await panel.getByTestId('stay-fiche-preview').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain('Fiche de liaison urgence transmise à Centre hospitalier de Saint-Sever');

    // On the platform: the Communication to the establishment points at the journal entry, which carries the PDF.
    const category = encodeURIComponent('https://relais.example/fhir/CodeSystem/communication-category|emergency-liaison');
    await expect.poll(async () => (await search(`Communication?subject=Patient/${patient.id}&category=${category}`)).length, { timeout: 20_000 }).toBe(1);
    const [com] = await search<{ recipient: { reference: string }[]; payload: { contentReference: { reference: string } }[] }>(`Communication?subject=Patient/${patient.id}&category=${category}`);
    expect(com!.recipient[0]!.reference).toBe('Organization/org-ch-saint-sever');
    const doc = (await (await fetch(`${app.sandboxUrl}/${com!.payload[0]!.contentReference.reference}`)).json()) as { content: { attachment: { url?: string; contentType?: string } }[] };
    const pdf = doc.content.find((c) => c.attachment.contentType === 'application/pdf')!;
    const bytes = Buffer.from(await (await fetch(`${app.sandboxUrl}/${pdf.attachment.url}`)).arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The fiche's text (poppler's pdftotext): identity with INS, its status, the treatments section.
    const file = join(app.dataDir, 'fiche.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(patient.ins!.value);
    expect(text).toContain('FICHE DE LIAISON URGENCE');
    expect(text).toContain('TRAITEMENTS EN COURS');

    // The screen: headless Chromium has no PDF viewer (the frame is black), so the fiche's first
    // page, rendered by poppler's pdftoppm from the very bytes sent, is laid over the frame's box.
    const frame = panel.getByTestId('stay-fiche-preview');
    await frame.scrollIntoViewIfNeeded();
    const box = (await frame.boundingBox())!;
    const view = page.viewportSize()!;
    const [left, top] = [Math.max(0, Math.round(box.x)), Math.max(0, Math.round(box.y))];
    const [width, height] = [Math.min(Math.floor(box.width), view.width - left), Math.min(Math.floor(box.height), view.height - top)];
    const shot = await page.screenshot();
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, join(app.dataDir, 'fiche-page1')]);
    const firstPage = await sharp(join(app.dataDir, 'fiche-page1.png'))
      .resize({ width, height, fit: 'cover', position: 'top' })
      .toBuffer();
    await sharp(shot)
      .composite([{ input: firstPage, left, top }])
      .toFile(join(SHOTS, 'emergency-fiche.png'));
  });

  it('a discharge arrives: alert for the GP, « Retour à domicile » task for the cell, reconciliation of treatments', async () => {
    const letterId = await postDischarge(app.sandboxUrl, patient.id);
    await launchPatient(s, patient);
    const discharge = page.getByTestId('stay-discharge').first();
    await discharge.waitFor({ timeout: 20_000 });
    const table = discharge.getByTestId('stay-reconciliation');
    await expect.poll(() => table.locator('tr[data-change="stopped"]').count()).toBe(1);
    expect(await table.locator('tr[data-change="dose-changed"]').count()).toBe(1);
    expect(await table.locator('tr[data-change="new"]').count()).toBe(1);
    expect(await table.locator('tr[data-change="kept"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain('Lettre de liaison de sortie');

    const flags = await search<{ status: string; code: { text: string } }>(`Flag?subject=Patient/${patient.id}&_count=50`);
    expect(flags.map((f) => `${f.status} ${f.code.text}`)).toContainEqual(expect.stringMatching(/^active Sortie d'hospitalisation/));
    const tasks = await search<{ owner: { reference: string }; focus: { reference: string } }>(`Task?subject=Patient/${patient.id}&code=${encodeURIComponent('https://relais.example/fhir/CodeSystem/support-cell-task|return-home')}`);
    expect(tasks).toEqual([expect.objectContaining({ owner: expect.objectContaining({ reference: 'Organization/org-dac-landes' }), focus: { reference: `DocumentReference/${letterId}` } })]);

    await discharge.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'discharge-reconciliation.png') });
    // At panel width: « Synthèse », then the « Séjours » tab.
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('view-panels').click();
    await page.getByTestId('panels').getByRole('tab', { name: 'Séjours', exact: true }).click();
    await expect.poll(() => discharge.isVisible(), { timeout: 10_000 }).toBe(true);
    await discharge.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'discharge-reconciliation-narrow.png') });
  });
});

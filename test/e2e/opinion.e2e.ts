/**
 * Issue 13 item 2, « Demande d'avis », as the acceptance has it: the home nurse of the care team
 * (Sophie LAMOTHE, CPS profession 60, card sign-in, platform policy on) asks the wound-care
 * referent of the directory with two photos, measurements and the patient's consent; the request
 * shows pending then sent in « Avis demandés » and in the journal; the scripted referent
 * (sandbox/actors/opinion-referent.ts) answers; the background sync brings the answer: the
 * recommendations show in the panel and the journal, and her task in « Mes tâches », without
 * « Actualiser ». She cannot prescribe: no « Ordonnance » action, and the core refuses (real
 * sandbox, web host, Debian's Chromium).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import type { FakeToken } from '../../native-bridges/card/fake-reader';
import { answerOpinionRequests, WOUND_ACTION } from '../../sandbox/actors/opinion-referent';
import { NURSE_CARD, testPki } from '../fixtures/pki/pki';
import { SHOTS, landesPatientIds, openFromList, signInWithCard, startE2eSession, type E2eSession } from '../support/e2e-session';

const NURSE_ID = 'prac-lamothe';
const nurseCard: FakeToken = {
  label: `CPS ${NURSE_CARD.familyName}`,
  serial: 'NUR-0001',
  certificatePem: testPki().nurse.certificatePem,
  privateKeyPem: testPki().nurse.privateKeyPem,
  pin: '2468',
};

let s: E2eSession;
let page: Page;
let patient: Patient;
/** The nurse's PractitionerRole in the patient's care team (the referent's task goes to it). */
let nurseRole: string;
let dir: string;

/** A wound-like photo: a reddish ellipse on skin tone, big enough to be downscaled (3000 px). */
async function woundPhoto(file: string, hue: number): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000"><rect width="3000" height="2000" fill="rgb(230,190,160)"/><ellipse cx="1500" cy="1000" rx="600" ry="380" fill="rgb(${hue},60,60)"/><ellipse cx="1500" cy="1000" rx="300" ry="180" fill="rgb(200,${hue / 2},90)"/></svg>`;
  const path = join(dir, file);
  writeFileSync(path, await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).withMetadata({ exif: { IFD0: { Make: 'Phone', Model: 'Camera' } } }).toBuffer());
  return path;
}

type Team = { participant: { role: { coding: { code: string }[] }[]; member: { reference: string } }[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relais-opinion-'));
  s = await startE2eSession({ card: nurseCard });
  page = s.page;
  // A Landes patient with an INS whose care team's home nurse is her (the seed is deterministic).
  const hers = new Set((await s.app.platform.listPatientsFollowedBy(NURSE_ID)).map((p) => p.id));
  for (const id of (await landesPatientIds(s)).filter((x) => hers.has(x))) {
    const [team] = await s.search<Team>(`CareTeam?subject=Patient/${id}`);
    const member = team?.participant.find((p) => p.role[0]?.coding[0]?.code === 'nurse')?.member.reference;
    if (!member?.startsWith('PractitionerRole/')) continue;
    const role = await s.read<{ practitioner: { reference: string } }>(member);
    if (role.practitioner.reference !== `Practitioner/${NURSE_ID}`) continue;
    patient = await s.app.platform.getPatient(id);
    nurseRole = member;
    break;
  }
  if (!patient) throw new Error('no Landes patient whose home nurse is Sophie LAMOTHE');
});

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the home nurse asks a wound opinion with photos (card sign-in, web host, Chromium)', () => {
  it('signs in with her CPS, cannot prescribe, asks the referent with two photos; the answer, its recommendations and her task arrive on their own', async () => {
    await signInWithCard(page, nurseCard.pin, NURSE_CARD.familyName);
    await openFromList(page, patient);
    const panel = page.getByTestId('panel-opinion');
    await panel.waitFor();

    // A nurse never prescribes: no « Ordonnance » action, and the core refuses the call anyway.
    await page.getByTestId('opinion-open').waitFor();
    expect(await page.getByTestId('prescription-open').count()).toBe(0);
    const refused = (await s.app.host.composition.dispatch('prescription.draft.get', { patientId: patient.id })) as { ok: boolean; error?: { code: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await page.getByTestId('opinion-open').click();
    const dialog = page.getByTestId('opinion-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The directory's referent is the only one: chosen already.
    await expect.poll(() => dialog.getByTestId('opinion-referent').locator('option:checked').textContent(), { timeout: 15_000 }).toContain('Référent plaies et cicatrisation');

    // Nothing written, no consent: both named.
    await dialog.getByRole('button', { name: "Envoyer la demande d'avis" }).click();
    await expect.poll(() => dialog.locator('.form-error').count()).toBe(2);

    await dialog.getByLabel('Votre question').fill('Ulcère veineux de la jambe gauche depuis 6 semaines, pas d’amélioration sous tulle : quel pansement proposer ?');
    expect(await dialog.getByTestId('opinion-photos').getAttribute('accept')).toBe('image/jpeg,image/png,image/heic');
    await dialog.getByTestId('opinion-photos').setInputFiles([await woundPhoto('plaie-1.jpg', 170), await woundPhoto('plaie-2.jpg', 150)]);
    await expect.poll(() => dialog.getByTestId('opinion-photo-count').textContent()).toBe('2 photos choisies');
    await dialog.getByLabel('Longueur (cm)').fill('4');
    await dialog.getByLabel('Largeur (cm)').fill('2,5');
    await dialog.getByLabel(/Autres observations/).fill('berges macérées, exsudat modéré');
    await dialog.getByLabel(/Le patient est d’accord/).check();
    await page.screenshot({ path: join(SHOTS, 'opinion-request.png') });
    await dialog.getByRole('button', { name: "Envoyer la demande d'avis" }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);

    const item = panel.getByTestId('opinion-request').first();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('requested');
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain("Demande d'avis à Référent plaies et cicatrisation");

    // On the platform: her request to the team, two photos (JPEG, ≤ 2048 px, no EXIF) and the team's Task.
    const [sr, ...others] = await s.search<{ id: string; requester: { reference: string }; performer: { reference: string }[]; supportingInfo: { reference: string }[] }>(
      `ServiceRequest?subject=Patient/${patient.id}&category=${encodeURIComponent('https://relais.example/fhir/CodeSystem/coordination-request|opinion')}`,
    );
    expect(others).toHaveLength(0);
    expect(sr!.requester.reference).toMatch(new RegExp(`^(Practitioner/${NURSE_ID}|${nurseRole})$`));
    expect(sr!.performer[0]!.reference).toBe('HealthcareService/hs-plaies-landes');
    const photos = sr!.supportingInfo.filter((r) => r.reference.startsWith('Binary/'));
    expect(photos).toHaveLength(2);
    for (const p of photos) {
      const bin = await s.read<{ contentType: string; data: string }>(p.reference);
      expect(bin.contentType).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(bin.data, 'base64')).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
      expect(meta.exif).toBeUndefined();
    }

    // The referent answers on the platform; her Relais learns it on its own, never from a click:
    // by push (the sandbox offers FHIR Subscriptions, so it may already be there) or from a
    // background pass (what the periodic timer runs); the panels follow the sync.
    expect(await answerOpinionRequests(s.app.sandboxUrl, s.token ? { token: s.token } : {})).toBe(1);
    const tasks = page.getByTestId('panel-tasks').locator('[data-testid="task"]');
    // The first call may join a pass begun before the answer; the second is a pass begun after it.
    await s.app.host.composition.core.background.runOnce();
    await s.app.host.composition.core.background.runOnce();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('answered');
    const answer = item.getByTestId('opinion-answer');
    expect(await answer.textContent()).toContain('pansement hydrocellulaire');
    expect(await answer.textContent()).toContain(WOUND_ACTION);
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 20_000 }).toContain('Avis plaies et cicatrisation (Dr Camille ETCHEVERRY)');
    await expect.poll(() => tasks.allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining(`Avis plaies : ${WOUND_ACTION}`)]));
    const [task] = await s.search<{ status: string; owner: { reference: string } }>(
      `Task?based-on=ServiceRequest/${sr!.id}&code=${encodeURIComponent('https://relais.example/fhir/CodeSystem/coordination-request|opinion-action')}`,
    );
    expect(task).toMatchObject({ status: 'requested', owner: { reference: nurseRole } });
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'opinion-answer.png') });
    // Her task, in « Mes tâches », arrived with the same pass.
    await tasks.filter({ hasText: 'Avis plaies' }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'opinion-nurse-task.png') });

    // At 400 px wide: the « Avis » tab shows the panel.
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('view-panels').click();
    await page.getByTestId('panels').getByRole('tab', { name: 'Avis', exact: true }).click();
    await expect.poll(() => panel.isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'opinion-narrow.png') });
  });
});

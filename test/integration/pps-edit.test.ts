/**
 * PPS editing through the core against the real sandbox over HTTP: the outbox writer PUTs the
 * CarePlan and Goals with If-Match, posts the « PPS mis à jour » entry, and a concurrent change
 * is a permanent CONFLICT whose edits are kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxStatus, Pps, PpsEdit } from '../../contract';
import { createApiDispatcher } from '../../main/api/dispatch';
import { composeCore, type Composition } from '../../main/compose';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { createFhirPlatform } from '../../main/platform/fhir';
import { startSandbox } from '../../sandbox/server';
import { contextOf } from '../support/app-fixture';
import { countByIdentifier, editCarePlanOnPlatform } from '../support/platform-pps';

/** Literal URIs and codes (docs/fhir-mapping.md), not the client's constants: the test checks what is on the platform. */
const CLIENT_ID_SYSTEM = 'https://relais.example/fhir/NamingSystem/client-id';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dirs: string[] = [];
const comps: Composition[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  for (const c of comps) await c.close();
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openPatient(patientId: string): Promise<{ comp: Composition; pps: Pps; careTeam: { id: string; name: string }[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-pps-'));
  dirs.push(dataDir);
  const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true });
  comps.push(comp);
  const patient = (await comp.core.handlers['patient.list']({})).find((p) => p.id === patientId)!;
  await comp.core.handlers['patient.open'](contextOf(patient));
  const panels = await comp.core.handlers['patient.panels']({ patientId });
  return { comp, pps: panels.pps!, careTeam: panels.careTeam };
}

/** Waits (events, no fixed delay) until the outbox row reaches a final state. */
async function settled(comp: Composition, id: string): Promise<OutboxItem> {
  const final: OutboxStatus[] = ['sent', 'failed-permanent'];
  for (let i = 0; i < 300; i++) {
    const item = comp.core.outbox.get(id)!;
    if (final.includes(item.status)) return item;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`outbox item ${id} still ${comp.core.outbox.get(id)?.status}`);
}

/** The PPS as the window shows it, turned into an edit that changes nothing. */
function editOf(pps: Pps): PpsEdit {
  return {
    objectives: pps.objectives.map((o) => ({
      id: o.id,
      description: o.description,
      priority: o.priority,
      ...(o.criterion ? { criterion: o.criterion } : {}),
      dueDate: o.dueDate,
      achieved: o.achievement === 'achieved',
    })),
    interventions: pps.interventions.map((x, i) => ({ source: i, description: x.description, performerId: x.performer?.id ?? null, scheduledEnd: x.scheduledEnd })),
    nextReview: pps.nextReview,
    preferences: [...pps.preferences],
  };
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('PPS editing against the sandbox', () => {
  it('applies objectives, interventions, review date and preferences; bumps the version; posts the journal entry', async () => {
    const { comp, pps, careTeam } = await openPatient('pat-03');
    expect(pps.objectives.length).toBeGreaterThan(1);
    expect(pps.interventions.length).toBeGreaterThan(1);
    // The window lists the care team by PractitionerRole; a performer shows as a person (by name here).
    const nurse = careTeam.find((m) => m.name !== pps.interventions[0]!.performer?.name)!;
    const edit = editOf(pps);
    edit.objectives[0]!.achieved = true;
    edit.objectives[1]!.description = 'Marcher 20 minutes chaque jour, accompagné';
    edit.objectives.push({ id: null, description: 'Reprendre le jardinage au printemps', priority: 'medium', criterion: 'Une séance par semaine', dueDate: inDays(90), achieved: false });
    edit.interventions[0]!.performerId = nurse.id;
    edit.interventions[0]!.scheduledEnd = inDays(45);
    const removed = pps.interventions.at(-1)!;
    edit.interventions.pop();
    edit.interventions.push({ source: null, description: 'Bilan diététique à domicile', performerId: nurse.id, scheduledEnd: inDays(30) });
    edit.nextReview = inDays(60);
    edit.preferences.push('Souhaite rester à domicile le plus longtemps possible');

    const dispatch = createApiDispatcher(comp.core);
    const queued = await dispatch('pps.update', { patientId: 'pat-03', ppsId: pps.id, baseVersion: pps.version, edit });
    expect(queued.ok).toBe(true);
    const item = await settled(comp, (queued as { value: OutboxItem }).value.id);
    expect(item).toMatchObject({ status: 'sent', kind: 'pps-update', lastError: null });

    const after = (await comp.core.handlers['patient.panels']({ patientId: 'pat-03' })).pps!;
    expect(after.id).toBe(pps.id);
    expect(after.version).not.toBe(pps.version);
    expect(after.objectives.find((o) => o.id === pps.objectives[0]!.id)!.achievement).toBe('achieved');
    expect(after.objectives.map((o) => o.description)).toEqual(
      expect.arrayContaining(['Marcher 20 minutes chaque jour, accompagné', 'Reprendre le jardinage au printemps']),
    );
    expect(after.objectives.find((o) => o.description === 'Reprendre le jardinage au printemps')).toMatchObject({
      criterion: 'Une séance par semaine',
      priority: 'medium',
      dueDate: inDays(90),
    });
    expect(after.interventions[0]).toMatchObject({ performer: { name: nurse.name }, scheduledEnd: inDays(45) });
    // Interventions left as they were keep their performer (sent back as the person's id).
    const untouched = pps.interventions.slice(1, -1);
    expect(after.interventions.slice(1, 1 + untouched.length).map((x) => x.performer)).toEqual(untouched.map((x) => x.performer));
    expect(after.interventions.map((x) => x.description)).toContain('Bilan diététique à domicile');
    expect(after.interventions.map((x) => x.description)).not.toContain(removed.description);
    expect(after.nextReview).toBe(inDays(60));
    expect(after.preferences).toContain('Souhaite rester à domicile le plus longtemps possible');

    // The team sees the change in the journal, from the platform (not the pending copy).
    const page = await comp.core.handlers['journal.page']({ patientId: 'pat-03', limit: 20 });
    const entry = page.entries.find((e) => e.kind === 'pps' && e.text.startsWith('PPS mis à jour :'))!;
    expect(entry).toBeDefined();
    expect(entry.pending).toBeFalsy();
    expect(entry.text).toContain('objectif atteint');
    expect(entry.text).toContain('« Reprendre le jardinage au printemps »');
    expect(entry.text).toContain(`réévaluation le ${inDays(60).split('-').reverse().join('/')}`);

    // Idempotent on the client id: the plan names the update, the new Goal exists once.
    const plan = (await (await fetch(`${sandbox.url}/CarePlan/${pps.id}`)).json()) as { extension?: { url: string; valueString: string }[] };
    expect(plan.extension?.find((e) => e.url === 'https://relais.example/fhir/StructureDefinition/last-update-client-id')?.valueString).toBe(item.id);
    expect(await countByIdentifier(sandbox.url, 'Goal', CLIENT_ID_SYSTEM, `${item.id}/goal/0`)).toBe(1);
    // Sent again after a lost answer: no conflict, nothing created twice.
    await expect(
      createFhirPlatform({ baseUrl: sandbox.url }).updatePps({
        clientId: item.id,
        patientId: 'pat-03',
        ppsId: pps.id,
        baseVersion: pps.version,
        edit,
      }),
    ).resolves.toEqual({ version: after.version });
    expect(await countByIdentifier(sandbox.url, 'Goal', CLIENT_ID_SYSTEM, `${item.id}/goal/0`)).toBe(1);

    const audit = await comp.core.handlers['audit.list']({ patientId: 'pat-03' });
    expect(audit.find((r) => r.action === 'pps.update')?.detail).toContain(item.id);
  });

  it('a PPS changed meanwhile is a permanent CONFLICT: nothing written, the edits are kept and can be sent on the new version', async () => {
    const { comp, pps } = await openPatient('pat-04');
    const goal = pps.objectives[0]!;
    // Someone else's software updates the plan after the GP opened it.
    const theirVersion = await editCarePlanOnPlatform(sandbox.url, pps.id, (plan) => {
      plan.description = 'Appeler le 15 en cas de malaise ; prévenir l’infirmière coordinatrice.';
    });
    expect(theirVersion).not.toBe(pps.version);

    const edit = editOf(pps);
    edit.objectives[0]!.description = 'Objectif reformulé par le médecin traitant';
    const dispatch = createApiDispatcher(comp.core);
    const queued = (await dispatch('pps.update', { patientId: 'pat-04', ppsId: pps.id, baseVersion: pps.version, edit })) as { ok: true; value: OutboxItem };
    const item = await settled(comp, queued.value.id);
    expect(item.status).toBe('failed-permanent');
    expect(item.lastError?.code).toBe('CONFLICT');

    // Checked before any Goal was touched: the platform keeps the old wording.
    const goalNow = (await (await fetch(`${sandbox.url}/Goal/${goal.id}`)).json()) as { description: { text: string } };
    expect(goalNow.description.text).toBe(goal.description);

    const recovered = await dispatch('pps.recoverEdit', { patientId: 'pat-04' });
    expect(recovered).toMatchObject({ ok: true, value: { itemId: item.id, ppsId: pps.id, baseVersion: pps.version, edit, error: { code: 'CONFLICT' } } });

    // On the new version, the same edits go through; the offer then disappears.
    const fresh = (await comp.core.handlers['patient.panels']({ patientId: 'pat-04' })).pps!;
    expect(fresh.version).toBe(theirVersion);
    expect(fresh.alertProcedure).toContain('Appeler le 15');
    const again = (await dispatch('pps.update', { patientId: 'pat-04', ppsId: pps.id, baseVersion: fresh.version, edit })) as { ok: true; value: OutboxItem };
    expect((await settled(comp, again.value.id)).status).toBe('sent');
    const final = (await comp.core.handlers['patient.panels']({ patientId: 'pat-04' })).pps!;
    expect(final.objectives.map((o) => o.description)).toContain('Objectif reformulé par le médecin traitant');
    expect(final.alertProcedure).toContain('Appeler le 15');
    // Interventions sent back unchanged keep their performers (the window names them by person).
    expect(final.interventions.map((x) => x.performer)).toEqual(fresh.interventions.map((x) => x.performer));
    expect(await dispatch('pps.recoverEdit', { patientId: 'pat-04' })).toEqual({ ok: true, value: null });
  });

  it('refuses an objective without description with INVALID_INPUT, before anything is queued', async () => {
    const { comp, pps } = await openPatient('pat-05');
    const edit = editOf(pps);
    edit.objectives.push({ id: null, description: '   ', priority: null, dueDate: null, achieved: false });
    const before = comp.core.outbox.list('pat-05').length;
    const r = await createApiDispatcher(comp.core)('pps.update', { patientId: 'pat-05', ppsId: pps.id, baseVersion: pps.version, edit });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(comp.core.outbox.list('pat-05')).toHaveLength(before);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../main/api/dispatch';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { composeCore, type Composition } from '../../main/compose';
import type { RelaisEvent } from '../../contract';
import { startSandbox } from '../../sandbox/server';
import { contextOf } from '../support/app-fixture';
import { raiseFlagOnPlatform } from '../support/platform-flags';

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

async function compose(dir?: string): Promise<Composition> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'relais-panels-'));
  if (!dir) dirs.push(dataDir);
  const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, alertPollMs: 100 });
  comps.push(comp);
  return comp;
}

async function openFirst(comp: Composition, id = 'pat-01') {
  const list = await comp.core.handlers['patient.list']({});
  const patient = list.find((p) => p.id === id)!;
  await comp.core.handlers['patient.open'](contextOf(patient));
  return patient;
}

describe('panels through the core, against the sandbox', () => {
  it('answers treatments, PPS, agenda, tasks and care team from the platform, then from the store offline', async () => {
    const comp = await compose();
    await openFirst(comp);
    const dispatch = createApiDispatcher(comp.core);
    const r = await dispatch('patient.panels', { patientId: 'pat-01' });
    expect(r.ok).toBe(true);
    const panels = (r as { ok: true; value: import('../../contract').PatientPanels }).value;
    expect(panels.source).toBe('platform');
    expect(panels.treatments.length).toBeGreaterThan(1);
    expect(panels.treatments[0]).toMatchObject({ status: 'active', prescriber: { name: expect.stringMatching(/DUFAU|LEFÈVRE|BERGERON|LACOSTE/) } });
    expect(panels.pps).toMatchObject({ coordinator: expect.any(Object), nextReview: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(panels.pps!.objectives.length).toBeGreaterThan(1);
    expect(panels.pps!.problems.length).toBeGreaterThan(1);
    expect(panels.tasks.some((t) => t.mine)).toBe(true);
    expect(panels.careTeam.find((m) => m.id === 'role-dufau')).toMatchObject({ phone: '01 99 00 01 01', email: 'helene.dufau@example.org' });
    for (const a of panels.appointments) expect(a.start >= new Date().toISOString().slice(0, 10)).toBe(true);

    sandbox.setFaults({ hang: false, errorRate: 0, dropRate: 1 });
    try {
      const offline = await comp.core.handlers['patient.panels']({ patientId: 'pat-01' });
      expect(offline.source).toBe('store');
      expect(offline.fetchedAt).toBe(panels.fetchedAt);
      expect(offline.treatments).toEqual(panels.treatments);
    } finally {
      sandbox.setFaults({});
    }
  });

  it('moves a task of the GP forward with If-Match, and a stale version is a CONFLICT', async () => {
    const comp = await compose();
    await openFirst(comp, 'pat-02');
    const panels = await comp.core.handlers['patient.panels']({ patientId: 'pat-02' });
    const task = panels.tasks.find((t) => t.mine && t.status === 'requested')!;
    expect(task).toBeDefined();
    const accepted = await comp.core.handlers['task.updateStatus']({ taskId: task.id, status: 'accepted', version: task.version });
    expect(accepted).toMatchObject({ id: task.id, status: 'accepted', mine: true });
    expect(accepted.version).not.toBe(task.version);

    const dispatch = createApiDispatcher(comp.core);
    const stale = await dispatch('task.updateStatus', { taskId: task.id, status: 'in-progress', version: task.version });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const backwards = await dispatch('task.updateStatus', { taskId: task.id, status: 'requested', version: accepted.version });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const notMine = panels.tasks.find((t) => !t.mine);
    if (notMine) {
      expect(await dispatch('task.updateStatus', { taskId: notMine.id, status: 'completed' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // The offline copy follows the change.
    sandbox.setFaults({ dropRate: 1 });
    try {
      const offline = await comp.core.handlers['patient.panels']({ patientId: 'pat-02' });
      expect(offline.tasks.find((t) => t.id === task.id)?.status).toBe('accepted');
    } finally {
      sandbox.setFaults({});
    }
    expect(comp.store.auditTrail().some((a) => a.action === 'task.status' && a.patientId === 'pat-02')).toBe(true);
  });
});

describe('alert watcher', () => {
  it('announces a new Flag on a followed patient once, counts it until someone takes it into account (not when the patient is opened), and remembers across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-alerts-'));
    dirs.push(dataDir);
    const comp = await compose(dataDir);
    const raised: Extract<RelaisEvent, { type: 'alert-raised' }>[] = [];
    comp.core.events.subscribe((e) => {
      if (e.type === 'alert-raised') raised.push(e);
    });
    // Baseline: the alerts already active are known, not announced.
    expect(await comp.core.alerts.pollNow()).toBe(0);
    const baseline = await comp.core.handlers['alerts.list']({});
    expect(baseline.length).toBeGreaterThan(5);
    expect(baseline.every((a) => a.alert.start <= new Date().toISOString())).toBe(true);
    expect(raised).toHaveLength(0);

    comp.core.alerts.start();
    const flag = await raiseFlagOnPlatform(sandbox.url, 'pat-03', 'Non-observance : pilulier intact depuis lundi', 'non-observance');
    await expect.poll(() => raised.length, { timeout: 5_000 }).toBe(1);
    expect(raised[0]).toMatchObject({
      patient: { id: 'pat-03' },
      alert: { id: flag.id, kind: 'non-observance', text: 'Non-observance : pilulier intact depuis lundi', author: { roleLabel: 'Infirmière à domicile' } },
    });
    const before = comp.core.alerts.unacknowledged();
    expect(raised[0]!.unacknowledged).toBe(before);
    // Several more polls: still once.
    await new Promise((r) => setTimeout(r, 400));
    await comp.core.alerts.pollNow();
    expect(raised).toHaveLength(1);
    const listed = await comp.core.handlers['alerts.list']({});
    expect(listed[0]).toMatchObject({ alert: { id: flag.id }, acknowledged: false });

    // Issue 15: opening the patient acknowledges nothing — the alert stays counted and listed.
    await openFirst(comp, 'pat-03');
    expect(comp.core.alerts.unacknowledged()).toBe(before);
    const strip = await comp.core.handlers['alerts.ofPatient']({ patientId: 'pat-03' });
    expect(strip[0]).toMatchObject({ id: flag.id, handled: null });
    // « Prendre en compte »: counted out at once (pending), then on the platform with who and when.
    const handled: Extract<RelaisEvent, { type: 'alert-handled' }>[] = [];
    comp.core.events.subscribe((e) => {
      if (e.type === 'alert-handled') handled.push(e);
    });
    const item = await comp.core.handlers['alert.handle']({ patientId: 'pat-03', alertId: flag.id! });
    expect(comp.core.alerts.unacknowledged()).toBe(before - 1);
    expect(handled[0]).toMatchObject({ alertId: flag.id, unacknowledged: before - 1 });
    await expect.poll(() => comp.core.outbox.get(item.id)?.status, { timeout: 10_000 }).toBe('sent');
    const onPlatform = (await (await fetch(`${sandbox.url}/Flag/${flag.id}`)).json()) as { status: string; extension?: { url: string; extension?: { url: string; valueReference?: { reference: string }; valueDateTime?: string }[] }[] };
    expect(onPlatform.status).toBe('active');
    const ext = onPlatform.extension?.find((e) => e.url === 'https://relais.example/fhir/StructureDefinition/alert-handled');
    expect(ext?.extension?.find((e) => e.url === 'by')?.valueReference?.reference).toMatch(/^Practitioner\//);
    expect(ext?.extension?.find((e) => e.url === 'at')?.valueDateTime).toMatch(/^\d{4}-/);
    const after = await comp.core.handlers['alerts.ofPatient']({ patientId: 'pat-03' });
    expect(after.find((a) => a.id === flag.id)?.handled).toMatchObject({ by: { name: expect.stringMatching(/DUFAU/) } });
    expect(after.find((a) => a.id === flag.id)?.handled?.pending).toBeUndefined();
    expect((await comp.core.handlers['alerts.list']({})).find((a) => a.alert.id === flag.id)?.acknowledged).toBe(true);
    await comp.core.alerts.stop();
    await comp.close();
    comps.splice(comps.indexOf(comp), 1);

    // A restart does not announce it again; an alert raised while closed is announced.
    const flag2 = await raiseFlagOnPlatform(sandbox.url, 'pat-04', 'Hospitalisation : admis en cardiologie', 'hospitalisation', 'role-larrieu');
    const again = await compose(dataDir);
    const raised2: string[] = [];
    again.core.events.subscribe((e) => {
      if (e.type === 'alert-raised') raised2.push(e.alert.id);
    });
    await again.core.alerts.pollNow();
    expect(raised2).toEqual([flag2.id]);
  });

});

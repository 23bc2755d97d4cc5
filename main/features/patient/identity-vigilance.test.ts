import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchContext, RelaisEvent } from '../../../contract';
import { BENCH_PATIENT_500 } from '../../../sandbox/seed/index';
import { startSandbox } from '../../../sandbox/server';
import { composeCore, type Composition } from '../../compose';
import { DEMO_GP_RPPS } from '../../config/demo-identity';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let comp: Composition;
let dir: string;
let exact: LaunchContext;
const events: RelaisEvent[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dir = mkdtempSync(join(tmpdir(), 'relais-iv-'));
  comp = await composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
  comp.core.events.subscribe((e) => events.push(e));
  const p = await comp.core.handlers['patient.list']({}).then((list) => list.find((x) => x.id === BENCH_PATIENT_500.id)!);
  exact = { ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex };
});
afterAll(async () => {
  await comp?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function lastConfirmation() {
  const e = [...events].reverse().find((x) => x.type === 'identity-confirmation-required');
  if (!e || e.type !== 'identity-confirmation-required') throw new Error('no confirmation event');
  return e;
}

describe('identity vigilance in the core', () => {
  it('opens at once when the traits match', async () => {
    const opened = await comp.core.openPatient(exact, 'test');
    expect(opened.patient.id).toBe(BENCH_PATIENT_500.id);
  });

  it('holds a discordant launch, shows both traits, and records the confirmation', async () => {
    const discordant = { ...exact, birthDate: exact.birthDate.replace(/-(\d\d)$/, (_m, d: string) => `-${d === '01' ? '02' : '01'}`) };
    const before = events.filter((e) => e.type === 'patient-changed').length;
    await expect(comp.core.openPatient(discordant, 'cli')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    expect(events.filter((e) => e.type === 'patient-changed').length).toBe(before);
    const ask = lastConfirmation();
    expect(ask.discrepancies).toEqual([{ field: 'birthDate', launch: discordant.birthDate, platform: exact.birthDate }]);
    expect(ask.patient.id).toBe(BENCH_PATIENT_500.id);

    const r = await comp.core.handlers['patient.confirmIdentity']({ confirmationId: ask.confirmationId, confirmed: true });
    expect(r.opened?.patient.id).toBe(BENCH_PATIENT_500.id);
    const trail = comp.store.auditTrail().map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(['identity.discrepancy', 'identity.confirmed']));
    // A confirmation is single use.
    await expect(comp.core.handlers['patient.confirmIdentity']({ confirmationId: ask.confirmationId, confirmed: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('records a refusal and opens nothing', async () => {
    await expect(comp.core.openPatient({ ...exact, sex: exact.sex === 'F' ? 'M' : 'F' }, 'url')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    const r = await comp.core.handlers['patient.confirmIdentity']({ confirmationId: lastConfirmation().confirmationId, confirmed: false });
    expect(r.opened).toBeNull();
    expect(comp.store.auditTrail().at(-1)).toMatchObject({ action: 'identity.rejected', patientId: BENCH_PATIENT_500.id });
  });

  it('without an INS, lists the candidates by traits and opens only the one the professional picks', async () => {
    const { ins: _none, ...noIns } = exact;
    await expect(comp.core.openPatient(noIns, 'context-file')).rejects.toMatchObject({ code: 'PATIENT_SELECTION_REQUIRED' });
    const ask = [...events].reverse().find((e) => e.type === 'patient-candidates');
    if (!ask || ask.type !== 'patient-candidates') throw new Error('no candidates event');
    expect(ask.candidates.map((c) => c.id)).toContain(BENCH_PATIENT_500.id);
    await expect(comp.core.handlers['patient.choose']({ selectionId: ask.selectionId, patientId: 'someone-else' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const r = await comp.core.handlers['patient.choose']({ selectionId: ask.selectionId, patientId: BENCH_PATIENT_500.id });
    expect(r.opened?.patient.id).toBe(BENCH_PATIENT_500.id);
    expect(comp.store.auditTrail().map((a) => a.action)).toEqual(expect.arrayContaining(['identity.candidates', 'identity.selected']));
  });

  it('without an INS and no matching patient, says so', async () => {
    await expect(
      comp.core.openPatient({ birthName: 'PERSONNE', firstNames: ['Inconnu'], birthDate: '1901-01-01', sex: 'M' }, 'url'),
    ).rejects.toMatchObject({ code: 'PATIENT_NOT_FOUND' });
  });

  it('opens a launch naming another practitioner, but warns the window and audits both RPPS', async () => {
    const OTHER_RPPS = '99700001029'; // valid (Luhn), not the signed-in demo GP
    const before = events.length;
    const opened = await comp.core.openPatient({ ...exact, practitionerRpps: OTHER_RPPS }, 'url');
    expect(opened.patient.id).toBe(BENCH_PATIENT_500.id);
    const after = events.slice(before);
    expect(after.map((e) => e.type)).toEqual(expect.arrayContaining(['patient-changed', 'practitioner-mismatch']));
    expect(after.find((e) => e.type === 'practitioner-mismatch')).toEqual({ type: 'practitioner-mismatch', patientId: BENCH_PATIENT_500.id, launchedRpps: OTHER_RPPS });
    const row = comp.store.auditTrail().find((a) => a.action === 'launch.practitioner-mismatch');
    expect(row).toMatchObject({ patientId: BENCH_PATIENT_500.id });
    expect(JSON.parse(row!.detail!)).toEqual({ channel: 'url', launchedRpps: OTHER_RPPS, signedInRpps: DEMO_GP_RPPS });
  });

  it('no warning when the launch names the signed-in professional, or no one', async () => {
    const before = events.length;
    await comp.core.openPatient({ ...exact, practitionerRpps: DEMO_GP_RPPS }, 'url');
    await comp.core.openPatient(exact, 'url');
    expect(events.slice(before).filter((e) => e.type === 'practitioner-mismatch')).toEqual([]);
  });

  it('warns too once a held launch naming another practitioner is confirmed', async () => {
    const discordant = { ...exact, sex: exact.sex === 'F' ? ('M' as const) : ('F' as const), practitionerRpps: '99700001029' };
    await expect(comp.core.openPatient(discordant, 'cli')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    const before = events.length;
    await comp.core.handlers['patient.confirmIdentity']({ confirmationId: lastConfirmation().confirmationId, confirmed: true });
    expect(events.slice(before).map((e) => e.type)).toEqual(expect.arrayContaining(['patient-changed', 'practitioner-mismatch']));
  });

  it('keeps a draft per patient', async () => {
    await comp.core.handlers['draft.save']({ patientId: BENCH_PATIENT_500.id, text: 'À revoir avec Sophie' });
    expect((await comp.core.handlers['draft.get']({ patientId: BENCH_PATIENT_500.id }))?.text).toBe('À revoir avec Sophie');
    await expect(comp.core.handlers['draft.save']({ patientId: 'not-opened', text: 'x' })).rejects.toMatchObject({ code: 'PATIENT_NOT_FOUND' });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyPrescriptionLine, type Patient } from '../../contract';
import { fail, fakeClient, fakeSource, ok, outboxItem, patient } from '../../test-support/fake-client';
import { PrescriptionController } from './controller';

function setup(handlers = {}) {
  const fake = fakeClient({ 'prescription.draft.get': ok(null), 'prescription.draft.save': ok(null), ...handlers });
  const main = fakeSource<{ patient: Patient | null }>({ patient: patient('p1') });
  const urls: string[] = [];
  const revoked: string[] = [];
  let sent = 0;
  const ctl = new PrescriptionController(fake.client, main, {
    saveDelayMs: 400,
    today: () => '2026-11-20',
    onSent: () => (sent += 1),
    urls: { create: () => (urls.push(`blob:${urls.length}`), `blob:${urls.length - 1}`), revoke: (u) => revoked.push(u) },
  });
  return { ...fake, ctl, main, urls, revoked, sent: () => sent };
}

const settle = () => vi.advanceTimersByTimeAsync(0);
const saves = (calls: Array<[string, unknown]>) => calls.filter(([m]) => m === 'prescription.draft.save');

describe('PrescriptionController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the allergies the platform has beside the lines, and says when they cannot be read', async () => {
    const allergies = [{ substance: 'Iode (produits de contraste iodés)', critical: true }];
    const s = setup({ 'patient.clinicalSummary': ok({ patientId: 'p1', allergies, ald: null, weight: null, contacts: [] }) });
    const opening = s.ctl.openFor(patient('p1'));
    expect(s.ctl.getState().allergies).toBe('loading');
    await opening;
    await settle();
    expect(s.calls).toContainEqual(['patient.clinicalSummary', { patientId: 'p1' }]);
    expect(s.ctl.getState().allergies).toEqual(allergies);

    const failing = setup({ 'patient.clinicalSummary': fail('PLATFORM_UNREACHABLE', 'down') });
    await failing.ctl.openFor(patient('p1'));
    await settle();
    expect(failing.ctl.getState().allergies).toBe('unavailable');
  });

  it('autosaves as typed, and refuses to send an incomplete line without calling the core', async () => {
    const s = setup();
    await s.ctl.openFor(patient('p1'));
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.updateLine(key, { medication: 'Amoxicilline 1 g' });
    await vi.advanceTimersByTimeAsync(399);
    expect(saves(s.calls)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves(s.calls)).toHaveLength(1);
    expect(await s.ctl.post()).toBe(false);
    expect(s.methods()).not.toContain('prescription.post');
    expect(s.ctl.getState()).toMatchObject({ showErrors: true, open: true });
    expect(s.ctl.getState().errors.map((e) => `${e.field}:${e.code}`)).toEqual(['lines.0.posology:required', 'lines.0.durationDays:duration-or-packs']);
  });

  it('previews the PDF, drops the preview on the next edit, and saves the draft when another patient shows', async () => {
    const s = setup({ 'prescription.pdf': ok({ pdfBase64: btoa('%PDF') }) });
    await s.ctl.openFor(patient('p1'));
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.updateLine(key, { medication: 'Amoxicilline 1 g', posology: '1 cp matin et soir', durationDays: '7' });
    await s.ctl.preview();
    expect(s.ctl.getState().previewUrl).toBe('blob:0');
    s.ctl.setWeight('70');
    expect(s.ctl.getState().previewUrl).toBeNull();
    expect(s.revoked).toEqual(['blob:0']);
    s.main.set({ patient: patient('p2') });
    await settle();
    expect(s.ctl.getState().open).toBe(false);
    expect(saves(s.calls).at(-1)?.[1]).toMatchObject({ patientId: 'p1', draft: { weightKg: '70' } });
  });

  it('sends through the outbox, keeps the draft on a refusal, and tells when the platform has it', async () => {
    const s = setup({ 'prescription.post': fail('FORBIDDEN') });
    await s.ctl.openFor(patient('p1'));
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.updateLine(key, { medication: 'Amoxicilline 1 g', posology: '1 cp matin et soir', packs: '1' });
    expect(await s.ctl.post()).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ open: true, busy: null, error: { code: 'FORBIDDEN' } });
    expect(s.ctl.getState().draft.lines[0]?.medication).toBe('Amoxicilline 1 g');
    const item = outboxItem('o1', { kind: 'prescription' });
    s.handlers['prescription.post'] = ok({ item, prescriptionId: 'rx1' });
    expect(await s.ctl.post()).toBe(true);
    expect(s.ctl.getState()).toMatchObject({ open: false, posted: { id: 'o1' }, draft: { lines: [] } });
    s.emit({ type: 'outbox-changed', items: [{ ...item, status: 'sending' }] });
    expect(s.sent()).toBe(0);
    s.emit({ type: 'outbox-changed', items: [{ ...item, status: 'sent' }] });
    expect(s.sent()).toBe(1);
  });

  it('searches as the GP types (the last answer wins), a chosen drug fills the line DCI first, typing again makes it free text', async () => {
    const rules = { list: 'I' as const, narcotic: false, secure: false, maxDurationDays: null, fractionDays: null, refusal: null, notices: [], reinforcedMonitoring: false };
    const hit = {
      choice: { kind: 'dci' as const, cis: '60000001', dciLabel: 'Amoxicilline 500 mg, gélule', specialityName: null, form: 'gélule', routes: ['orale'], substances: [], rules },
      specialities: 12,
      marketed: true,
    };
    const s = setup({ 'prescription.drugs.release': ok(null), 'prescription.drugs.search': ok({ hits: [hit], release: null }) });
    await s.ctl.openFor(patient('p1'));
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.searchDrugs(key, 'a');
    await vi.advanceTimersByTimeAsync(200);
    expect(s.methods().filter((m) => m === 'prescription.drugs.search')).toHaveLength(0);
    s.ctl.searchDrugs(key, 'am');
    s.ctl.searchDrugs(key, 'amo');
    await vi.advanceTimersByTimeAsync(200);
    expect(s.calls.filter(([m]) => m === 'prescription.drugs.search').map(([, r]) => r)).toEqual([{ query: 'amo' }]);
    expect(s.ctl.getState().search).toMatchObject({ lineKey: key, hits: [hit], loading: false });
    s.ctl.chooseDrug(key, hit);
    expect(s.ctl.getState().search.hits).toEqual([]);
    expect(s.ctl.getState().draft.lines[0]).toMatchObject({ drug: hit.choice, medication: 'Amoxicilline 500 mg, gélule', route: 'voie orale', doseUnit: 'gélule' });
    s.ctl.toggleMoment(key, 'morning');
    s.ctl.toggleMoment(key, 'evening');
    expect(s.ctl.getState().draft.lines[0]!.moments).toEqual(['morning', 'evening']);
    s.ctl.searchDrugs(key, 'Amoxicilline 500 mg, gélules');
    expect(s.ctl.getState().draft.lines[0]).toMatchObject({ drug: null, medication: 'Amoxicilline 500 mg, gélules' });
  });

  it('with a card session: « send » asks the PIN, signs with prescription.sign, keeps the prompt on a wrong PIN; the PIN is never in the state', async () => {
    const item = outboxItem('o2', { kind: 'prescription' });
    const s = setup({
      'session.current': ok({ method: 'card', card: { kind: 'CPS', idNatPs: '899700001011' }, demo: false }),
      'prescription.sign': fail('PIN_INCORRECT'),
    });
    await s.ctl.openFor(patient('p1'));
    await settle();
    expect(s.ctl.getState().signing).toBe('card');
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.updateLine(key, { medication: 'Amoxicilline 1 g', posology: '1 cp matin et soir', durationDays: '7' });
    expect(await s.ctl.send()).toBe(false);
    expect(s.ctl.getState().pinAsked).toBe(true);
    expect(s.methods()).not.toContain('prescription.post');
    expect(await s.ctl.sign('97531864')).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ pinAsked: true, open: true, error: { code: 'PIN_INCORRECT' } });
    expect(JSON.stringify(s.ctl.getState())).not.toContain('97531864');
    s.handlers['prescription.sign'] = ok({ item, prescriptionId: 'rx2' });
    expect(await s.ctl.sign('97531864')).toBe(true);
    expect(s.ctl.getState()).toMatchObject({ open: false, pinAsked: false, posted: { id: 'o2' } });
    expect(JSON.stringify(s.ctl.getState())).not.toContain('97531864');
    expect(s.calls.find(([m]) => m === 'prescription.sign')?.[1]).toMatchObject({ patientId: 'p1', pin: '97531864' });
  });

  it('without a card: « send » goes unsigned (demo identity) and never asks a PIN', async () => {
    const s = setup({ 'session.current': ok({ method: 'demo', card: null, demo: true }), 'prescription.post': ok({ item: outboxItem('o3', { kind: 'prescription' }), prescriptionId: 'rx3' }) });
    await s.ctl.openFor(patient('p1'));
    await settle();
    expect(s.ctl.getState().signing).toBe('demo');
    const key = s.ctl.getState().draft.lines[0]!.key;
    s.ctl.updateLine(key, { medication: 'Amoxicilline 1 g', posology: '1 cp matin et soir', durationDays: '7' });
    expect(await s.ctl.send()).toBe(true);
    expect(s.methods()).toContain('prescription.post');
    expect(s.methods()).not.toContain('prescription.sign');
  });

  it('« Modifier » on a refused ordonnance: the composer opens with its lines, and the signed send is a new one replacing it', async () => {
    const refusedId = '00000000-0000-4000-8000-0000000000cc';
    const typed = { lines: [{ ...emptyPrescriptionLine('k1'), medication: 'Amoxicilline 1 g', posology: '1 cp matin et soir', durationDays: '7' }], weightKg: '70' };
    const s = setup({
      'session.current': ok({ method: 'card', card: { kind: 'CPS', idNatPs: '899700001011' }, demo: false }),
      'outbox.form': ok(null),
      'prescription.sign': ok({ item: outboxItem('o4', { kind: 'prescription' }), prescriptionId: 'rx4' }),
    });
    // No longer refused: nothing opens.
    expect(await s.ctl.editRefused(patient('p1'), refusedId)).toBe(false);
    expect(s.ctl.getState().open).toBe(false);

    s.handlers['outbox.form'] = ok({ kind: 'prescription', form: typed });
    expect(await s.ctl.editRefused(patient('p1'), refusedId)).toBe(true);
    await settle();
    expect(s.ctl.getState()).toMatchObject({ open: true, replaces: refusedId, draft: typed });
    // Kept as the patient's draft: closing loses nothing.
    await vi.advanceTimersByTimeAsync(400);
    expect(saves(s.calls).at(-1)?.[1]).toEqual({ patientId: 'p1', draft: typed });
    s.ctl.setWeight('72');
    expect(await s.ctl.send()).toBe(false);
    expect(s.ctl.getState().pinAsked).toBe(true);
    expect(await s.ctl.sign('1234')).toBe(true);
    // Signed again (the PIN asked for this ordonnance), and it replaces the refused item.
    expect(s.calls.find(([m]) => m === 'prescription.sign')?.[1]).toEqual({ patientId: 'p1', draft: { ...typed, weightKg: '72' }, pin: '1234', replaces: refusedId });
    expect(s.ctl.getState().replaces).toBeNull();
    // The next ordonnance opened the usual way replaces nothing.
    await s.ctl.openFor(patient('p1'));
    expect(s.ctl.getState().replaces).toBeNull();
  });
});

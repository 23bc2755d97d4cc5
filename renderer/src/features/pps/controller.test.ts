import { describe, expect, it } from 'vitest';
import type { Pps, PpsRecoveredEdit } from '../../contract';
import { fail, fakeClient, fakeSource, flush, ok, outboxItem } from '../../test-support/fake-client';
import { editOf, PpsEditController, rebaseEdit } from './controller';

const pps = (version: string, interventions: string[]): Pps => ({
  id: 'cp1',
  title: 'PPS',
  coordinator: null,
  problems: [],
  preferences: ['Rester à domicile'],
  objectives: [{ id: 'g1', description: 'Marcher', priority: 'high', dueDate: null, achievement: 'in-progress' }],
  interventions: interventions.map((description) => ({ description, performer: null, scheduledEnd: null, status: 'in-progress' })),
  nextReview: null,
  updatedAt: null,
  version,
});

function setup(handlers = {}) {
  const fake = fakeClient({ 'pps.recoverEdit': ok(null), ...handlers });
  let current = pps('v1', ['Kiné', 'IDE']);
  let reloads = 0;
  const source = fakeSource({ panels: { patientId: null as string | null, data: null as { pps: Pps | null } | null } });
  const panels = {
    ...source,
    reload: async () => {
      reloads += 1;
      source.set({ panels: { ...source.getState().panels, data: { pps: current } } });
    },
  };
  const ctl = new PpsEditController(fake.client, panels);
  return { ...fake, ctl, panels, reloads: () => reloads, platformHas: (p: Pps) => (current = p) };
}

describe('PpsEditController', () => {
  it('sends the edit on the version it was opened on; a refusal before queueing keeps the form as typed', async () => {
    const s = setup({ 'pps.update': fail('INVALID_INPUT') });
    s.panels.set({ panels: { patientId: 'p1', data: null } });
    s.ctl.open(pps('v1', ['Kiné']));
    const edit = { ...s.ctl.getState().editing!.edit, nextReview: '2027-01-15' };
    s.ctl.change(edit);
    await s.ctl.submit();
    expect(s.ctl.getState()).toMatchObject({ sending: false, error: { code: 'INVALID_INPUT' }, editing: { baseVersion: 'v1', edit: { nextReview: '2027-01-15' } } });
    s.handlers['pps.update'] = ok(outboxItem('o1', { kind: 'pps-update' }));
    await s.ctl.submit();
    expect(s.calls.filter(([m]) => m === 'pps.update').at(-1)?.[1]).toEqual({ patientId: 'p1', ppsId: 'cp1', baseVersion: 'v1', edit });
    expect(s.ctl.getState()).toMatchObject({ editing: null, pendingItemId: 'o1' });
  });

  it('a held chart closes the form; reopening the same version brings back what was typed, a newer one does not (issue 15)', () => {
    const s = setup();
    s.panels.set({ panels: { patientId: 'p1', data: null } });
    s.ctl.open(pps('v1', ['Kiné']));
    s.ctl.change({ ...s.ctl.getState().editing!.edit, nextReview: '2027-02-01' });
    s.ctl.suspend();
    expect(s.ctl.getState().editing).toBeNull();
    s.ctl.open(pps('v1', ['Kiné']));
    expect(s.ctl.getState().editing?.edit.nextReview).toBe('2027-02-01');
    s.ctl.suspend();
    s.ctl.open(pps('v2', ['Kiné']));
    expect(s.ctl.getState().editing?.edit.nextReview).toBeNull();
  });

  it('offers a refused update again on the platform’s new version, interventions matched by wording', async () => {
    const s = setup();
    s.panels.set({ panels: { patientId: 'p1', data: null } });
    await flush();
    s.ctl.open(pps('v1', ['Kiné', 'IDE']));
    s.handlers['pps.update'] = ok(outboxItem('o1', { kind: 'pps-update' }));
    await s.ctl.submit();
    const recovered: PpsRecoveredEdit = { itemId: 'o1', ppsId: 'cp1', baseVersion: 'v1', edit: editOf(pps('v1', ['Kiné', 'IDE'])), error: { code: 'CONFLICT', message: '412' } };
    s.handlers['pps.recoverEdit'] = ok(recovered);
    s.platformHas(pps('v2', ['IDE', 'Diététicienne', 'Kiné']));
    s.emit({ type: 'outbox-changed', items: [outboxItem('o1', { kind: 'pps-update', status: 'failed-permanent' })] });
    await flush();
    expect(s.reloads()).toBe(1);
    expect(s.ctl.getState().recovered?.itemId).toBe('o1');
    await s.ctl.resume();
    expect(s.ctl.getState().editing?.baseVersion).toBe('v2');
    expect(s.ctl.getState().editing?.edit.interventions.map((x) => x.source)).toEqual([2, 0]);
    s.ctl.cancel();
    s.ctl.discard();
    expect(s.ctl.getState().recovered).toBeNull();
  });

  it('brings back an objective whose Goal left the plan as a new one', () => {
    const edit = editOf(pps('v1', []));
    const fresh = { ...pps('v2', []), objectives: [] };
    expect(rebaseEdit(edit, fresh).objectives[0]).toMatchObject({ id: null, description: 'Marcher' });
  });
});

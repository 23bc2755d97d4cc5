import { describe, expect, it } from 'vitest';
import type { Alert, CareTask, Patient, PatientPanels, RelaisClient, RelaisEvent } from '../../contract';
import { PanelsController, type NotificationEnv } from './controller';

const patient = (id: string): Patient => ({
  id,
  ins: { value: '253072B07300470', oid: '1.2.250.1.213.1.4.10' },
  identityStatus: 'QUAL',
  birthName: 'LAMBERT',
  firstNames: ['Jeanne'],
  birthDate: '1953-07-14',
  sex: 'F',
});
const task: CareTask = { id: 't1', patientId: 'p1', status: 'requested', description: 'x', dueDate: null, owner: null, requester: null, authoredOn: null, mine: true, version: 'v1' };
const panels = (id: string): PatientPanels => ({ patientId: id, treatments: [], pps: null, appointments: [], tasks: [task], careTeam: [], source: 'platform', fetchedAt: '2026-11-20T10:00:00Z' });
const alert: Alert = { id: 'f1', patientId: 'p2', kind: 'degradation', text: 'chute', start: '2026-11-20', author: null, version: '1', severity: null, handled: null };

function setup(notifications: NotificationEnv | null) {
  const calls: [string, unknown][] = [];
  const listeners = new Set<(e: RelaisEvent) => void>();
  let updateAnswer: 'ok' | 'conflict' = 'ok';
  const client = {
    call: async (method: string, req: unknown) => {
      calls.push([method, req]);
      if (method === 'patient.panels') return { ok: true, value: panels((req as { patientId: string }).patientId) };
      if (method === 'task.updateStatus') {
        return updateAnswer === 'ok'
          ? { ok: true, value: { ...task, status: 'accepted', version: 'v2' } }
          : { ok: false, error: { code: 'CONFLICT', message: '412' } };
      }
      return { ok: false, error: { code: 'INTERNAL', message: method } };
    },
    onEvent: (l: (e: RelaisEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as RelaisClient;
  let current: Patient | null = null;
  const mainListeners = new Set<() => void>();
  const opened: string[] = [];
  const main = {
    getState: () => ({ patient: current }),
    subscribe: (l: () => void) => {
      mainListeners.add(l);
      return () => mainListeners.delete(l);
    },
    openPatient: async (p: Patient) => {
      opened.push(p.id);
    },
  };
  const controller = new PanelsController(client, main, { notifications, wording: (p, a) => ({ title: `${a.kind} ${p.birthName}`, body: a.text }) });
  return {
    controller,
    calls,
    opened,
    show(p: Patient) {
      current = p;
      for (const l of mainListeners) l();
    },
    emit: (e: RelaisEvent) => listeners.forEach((l) => l(e)),
    conflictNext: () => (updateAnswer = 'conflict'),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Shows p1 and waits for its one panels load; answers how many loads were made so far. */
async function openedOnce(s: ReturnType<typeof setup>): Promise<() => number> {
  s.show(patient('p1'));
  await flush();
  const loads = () => s.calls.filter(([m]) => m === 'patient.panels').length;
  expect(loads()).toBe(1);
  return loads;
}

describe('PanelsController', () => {
  it('loads the panels of the patient on screen and moves a task with its version', async () => {
    const s = setup(null);
    s.show(patient('p1'));
    await flush();
    expect(s.controller.getState().panels.data?.patientId).toBe('p1');
    await s.controller.updateTask(task, 'accepted');
    expect(s.calls.at(-1)).toEqual(['task.updateStatus', { taskId: 't1', status: 'accepted', version: 'v1' }]);
    expect(s.controller.getState().panels.data?.tasks[0]).toMatchObject({ status: 'accepted', version: 'v2' });
    s.conflictNext();
    await s.controller.updateTask(task, 'accepted');
    expect(s.controller.getState().panels.conflictTaskId).toBe('t1');
    expect(s.calls.at(-1)?.[0]).toBe('patient.panels');
  });

  it('shows an OS notification when allowed; its click opens the patient', async () => {
    let click: (() => void) | null = null;
    const shown: string[] = [];
    const s = setup({ permission: () => 'granted', request: async () => 'granted', show: (title, _o, onClick) => (shown.push(title), (click = onClick)) });
    s.emit({ type: 'alert-raised', patient: patient('p2'), alert, unacknowledged: 1 });
    expect(shown).toEqual(['degradation LAMBERT']);
    expect(s.controller.getState().alerts.toasts).toHaveLength(0);
    click!();
    await flush();
    expect(s.opened).toEqual(['p2']);
  });

  it('falls back to an in-app toast when notifications are denied or absent', async () => {
    const s = setup({ permission: () => 'denied', request: async () => 'denied', show: () => undefined });
    s.emit({ type: 'alert-raised', patient: patient('p2'), alert, unacknowledged: 1 });
    const toast = s.controller.getState().alerts.toasts[0]!;
    expect(toast.patient.id).toBe('p2');
    await s.controller.openAlert(toast.patient, toast.key);
    expect(s.opened).toEqual(['p2']);
    expect(s.controller.getState().alerts.toasts).toHaveLength(0);
  });

  it('raises no in-app toast for the patient on screen: the strip under the banner shows the alert, and a toast would cover the chart', async () => {
    const s = setup({ permission: () => 'denied', request: async () => 'denied', show: () => undefined });
    const loads = await openedOnce(s);
    s.emit({ type: 'alert-raised', patient: patient('p1'), alert, unacknowledged: 1 });
    await flush();
    expect(s.controller.getState().alerts.toasts).toHaveLength(0);
    expect(loads()).toBe(2);
    s.emit({ type: 'alert-raised', patient: patient('p2'), alert, unacknowledged: 1 });
    expect(s.controller.getState().alerts.toasts.map((t) => t.patient.id)).toEqual(['p2']);
  });

  it('refreshes the open patient’s panels when a background sync lands, not for another patient nor right after loading', async () => {
    const s = setup(null);
    const loads = await openedOnce(s);
    const entries: never[] = [];
    // Moments after the load (same fetch): nothing more.
    s.emit({ type: 'journal-updated', patientId: 'p1', entries, total: 0, syncedAt: '2026-11-20T10:00:03Z' });
    await flush();
    expect(loads()).toBe(1);
    // Another patient's sync: nothing.
    s.emit({ type: 'journal-updated', patientId: 'p2', entries, total: 0, syncedAt: '2026-11-20T10:05:00Z' });
    await flush();
    expect(loads()).toBe(1);
    // A later sync of this patient: the panels are read again.
    s.emit({ type: 'journal-updated', patientId: 'p1', entries, total: 0, syncedAt: '2026-11-20T10:05:00Z' });
    await flush();
    expect(loads()).toBe(2);
    expect(s.calls.at(-1)).toEqual(['patient.panels', { patientId: 'p1' }]);
  });

  it('refreshes after a background pass that brought news, however recently the panels were read, and after a load it raced', async () => {
    const s = setup(null);
    const loads = await openedOnce(s);
    const entries: never[] = [];
    // Seconds after the load, but the pass stored the other side's answer: read again.
    s.emit({ type: 'journal-updated', patientId: 'p1', entries, total: 0, syncedAt: '2026-11-20T10:00:03Z', news: true });
    await flush();
    expect(loads()).toBe(2);
    // News while a load is under way: one more load once it ends, not a skipped one.
    void s.controller.reload();
    expect(s.controller.getState().panels.loading).toBe(true);
    s.emit({ type: 'journal-updated', patientId: 'p1', entries, total: 0, syncedAt: '2026-11-20T10:00:04Z', news: true });
    await flush();
    expect(loads()).toBe(4);
    expect(s.controller.getState().panels.loading).toBe(false);
  });
});

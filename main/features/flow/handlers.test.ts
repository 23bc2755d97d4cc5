import { afterEach, describe, expect, it } from 'vitest';
import { RelaisError, type Alert, type CareTeamMember, type JournalEntry, type Patient, type Professional } from '../../../contract';
import type { EnqueueWrite, Outbox } from '../../outbox/outbox';
import type { Platform } from '../../platform/port';
import { EventBus } from '../../events';
import { LocalStore } from '../../store/store';
import { testFeatureContext } from '../test-context';
import { createFlowFeature } from './handlers';

const professional: Professional = {
  id: 'prac-dufau',
  rpps: '10000001015',
  idNatPs: '810000001015',
  familyName: 'DUFAU',
  givenName: 'Hélène',
  profession: { code: '10', label: 'Médecin' },
  roleLabel: 'Médecin généraliste',
};
const nurse: CareTeamMember = { id: 'role-lamothe', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière à domicile', coordinator: false };
const message: JournalEntry = {
  id: 'doc-1',
  patientId: 'p1',
  kind: 'text',
  date: '2026-11-30T08:00:00Z',
  author: { id: 'prac-lamothe', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière' },
  text: 'Prise de poids de 2 kg en une semaine',
  attachments: [],
  urgent: false,
  version: '1',
};

let store: LocalStore;
afterEach(() => store?.close());

function setup() {
  store = new LocalStore(':memory:');
  store.upsertEntries([message]);
  const enqueued: EnqueueWrite[] = [];
  const outbox = {
    enqueue: (w: EnqueueWrite) => {
      enqueued.push(w);
      return { id: '3b7f3c1e-0000-4000-8000-000000000001', status: 'queued' };
    },
  } as unknown as Outbox;
  const ctx = testFeatureContext({
    platform: {} as Platform,
    store,
    outbox,
    events: new EventBus(),
    professional,
    now: () => new Date('2026-12-01T09:00:00'),
    careTeamOf: async () => [nurse],
  });
  return { handlers: createFlowFeature(ctx).handlers, enqueued };
}

describe('task.createFromEntry', () => {
  it('enqueues a task-create row for a care-team member on a message of this journal, and audits it', async () => {
    const { handlers, enqueued } = setup();
    const r = await handlers['task.createFromEntry']({ patientId: 'p1', entryId: 'doc-1', ownerId: 'role-lamothe', description: '  Adapter le diurétique ', dueDate: '2026-12-02' });
    expect(r).toEqual({ clientId: '3b7f3c1e-0000-4000-8000-000000000001', status: 'queued' });
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]).toMatchObject({ kind: 'task-create', patientId: 'p1', payload: { entryId: 'doc-1', ownerId: 'role-lamothe', ownerDisplay: 'Sophie LAMOTHE', description: 'Adapter le diurétique', dueDate: '2026-12-02' } });
    expect(enqueued[0]!.optimistic).toBeUndefined();
    expect(store.auditTrail().map((a) => a.action)).toContain('task.create');
  });

  it('refuses a message of another journal, a due day in the past and someone outside the care team, naming the field', async () => {
    const { handlers, enqueued } = setup();
    const base = { patientId: 'p1', entryId: 'doc-1', ownerId: 'role-lamothe', description: 'x', dueDate: '2026-12-02' };
    await expect(handlers['task.createFromEntry']({ ...base, patientId: 'p2' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'entryId' });
    await expect(handlers['task.createFromEntry']({ ...base, entryId: 'nope' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'entryId' });
    await expect(handlers['task.createFromEntry']({ ...base, dueDate: '2026-11-30' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'dueDate' });
    await expect(handlers['task.createFromEntry']({ ...base, ownerId: 'role-stranger' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'ownerId' });
    expect(enqueued).toEqual([]);
  });
});

describe('todo.list', () => {
  const p1: Patient = { id: 'p1', ins: null, identityStatus: 'QUAL', birthName: 'LABORDE', firstNames: ['Jeanne'], birthDate: '1948-05-02', sex: 'F' };
  const alert: Alert = { id: 'flag-1', patientId: 'p1', kind: 'degradation', text: 'Chute à domicile', start: '2026-11-30', author: null, version: '1', severity: null, handled: null };
  const overdue = { id: 'task-1', patientId: 'p1', description: 'Rappeler la famille', dueDate: '2026-11-29', requester: null };

  function withPlatform(failing: { alerts?: boolean; tasks?: boolean } = {}) {
    store = new LocalStore(':memory:');
    store.upsertEntries([message], { markUnreadExcept: professional.id });
    const asked: string[] = [];
    const platform = {
      fetchActiveAlerts: async () => {
        asked.push('alerts');
        if (failing.alerts) throw new RelaisError('PLATFORM_UNREACHABLE', 'down');
        return { alerts: [alert], lastUpdated: null };
      },
      fetchOpenTasksOwnedBy: async () => {
        asked.push('tasks');
        if (failing.tasks) throw new RelaisError('PLATFORM_UNREACHABLE', 'down');
        return [overdue];
      },
    } as unknown as Platform;
    const synced: string[] = [];
    const ctx = testFeatureContext({
      platform,
      store,
      outbox: {} as Outbox,
      events: new EventBus(),
      professional,
      now: () => new Date('2026-12-01T09:00:00'),
      followedPatients: async () => (asked.push('followed'), [p1]),
      journal: { ...testFeatureContext({ platform, store, outbox: {} as Outbox, events: new EventBus(), professional }).journal, sync: async (id: string) => (synced.push(id), 0) },
    });
    return { handlers: createFlowFeature(ctx).handlers, asked, synced, failing };
  }

  it('after a patient is left (platform: false), rebuilds from the store around the last alerts and tasks, without asking the platform', async () => {
    const { handlers, asked, synced } = withPlatform();
    const first = await handlers['todo.list']({ sync: false });
    expect(asked).toEqual(['followed', 'alerts', 'tasks']);
    expect(first.items.map((i) => i.kind)).toEqual(['alert', 'task', 'unread']);
    expect(first.unreadByPatient).toEqual({ p1: 1 });
    store.markRead('p1');
    const after = await handlers['todo.list']({ sync: false, platform: false });
    expect(asked).toEqual(['followed', 'alerts', 'tasks']);
    expect(synced).toEqual([]);
    expect(after.items.map((i) => i.kind)).toEqual(['alert', 'task']);
    expect(after.unreadByPatient).toEqual({});
    expect(after.complete).toBe(true);
  });

  it('with no earlier list, or an incomplete one, platform: false still asks the platform (never syncs every journal)', async () => {
    const s = withPlatform({ tasks: true });
    const first = await s.handlers['todo.list']({ platform: false });
    expect(s.synced).toEqual([]);
    expect(s.asked).toEqual(['followed', 'alerts', 'tasks']);
    // One search failing keeps the other's items; the list says it is incomplete.
    expect(first.items.map((i) => i.kind)).toEqual(['alert', 'unread']);
    expect(first.complete).toBe(false);
    s.failing.tasks = false;
    const second = await s.handlers['todo.list']({ sync: false, platform: false });
    expect(s.asked).toEqual(['followed', 'alerts', 'tasks', 'followed', 'alerts', 'tasks']);
    expect(second.complete).toBe(true);
    expect(second.items.map((i) => i.kind)).toEqual(['alert', 'task', 'unread']);
  });

  it('the « Actualiser » of the list syncs every followed journal, then asks the platform again', async () => {
    const { handlers, asked, synced } = withPlatform();
    await handlers['todo.list']({ sync: false });
    await handlers['todo.list']({});
    expect(synced).toEqual(['p1']);
    expect(asked).toEqual(['followed', 'alerts', 'tasks', 'followed', 'alerts', 'tasks']);
  });
});

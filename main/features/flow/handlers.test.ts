import { afterEach, describe, expect, it } from 'vitest';
import type { CareTeamMember, JournalEntry, Professional } from '../../../contract';
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

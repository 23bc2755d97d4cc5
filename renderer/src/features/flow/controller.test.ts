import { describe, expect, it } from 'vitest';
import type { CareTeamMember, JournalEntry, Patient, Result, TodoList } from '../../contract';
import { fail, fakeClient, fakeSource, flush, ok, patient } from '../../test-support/fake-client';
import { FlowController } from './controller';
import { sinceLastVisitId } from '../journal/SinceLastVisit';
import { formatDuration } from '../journal/VoiceNote';

const member: CareTeamMember = { id: 'role-lamothe', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière à domicile', coordinator: false };
const todo: TodoList = { items: [], unreadByPatient: { p1: 3 }, complete: true, generatedAt: '2026-12-01T08:00:00Z' };

function entry(id: string, unread = false): JournalEntry {
  return { id, patientId: 'p1', kind: 'text', date: '2026-12-01T08:00:00Z', author: { id: 'a', name: 'A', roleLabel: 'r' }, text: 'Merci de revoir le traitement', attachments: [], urgent: false, version: '1', ...(unread ? { unread } : {}) };
}

function setup(handlers = {}) {
  const fake = fakeClient({ 'todo.list': ok(todo), ...handlers });
  const patients = fakeSource<{ patient: Patient | null }>({ patient: patient('p1') });
  let reloaded = 0;
  const ctl = new FlowController(fake.client, { patients, careTeam: () => [member], onTaskCreated: () => (reloaded += 1) });
  return { ...fake, ctl, patients, reloaded: () => reloaded };
}

describe('FlowController', () => {
  it('reloads « À traiter » when a sync pass ends and when the GP leaves a patient (its entries became read)', async () => {
    const s = setup();
    s.emit({ type: 'sync-status', state: 'running', done: 0, total: 3, lastCompleteAt: null });
    expect(s.methods()).toEqual([]);
    s.emit({ type: 'sync-status', state: 'idle', done: 3, total: 3, lastCompleteAt: '2026-12-01T08:00:00Z' });
    await flush();
    expect(s.calls).toEqual([['todo.list', { sync: false }]]);
    expect(s.ctl.getState().todo?.unreadByPatient).toEqual({ p1: 3 });
    s.patients.set({ patient: patient('p2') });
    await flush();
    // Only the store changed (the left patient's entries read): no platform search per switch.
    expect(s.calls[1]).toEqual(['todo.list', { sync: false, platform: false }]);
  });

  it('creates a task on the message of the patient on screen; a refusal keeps the dialog open with its error', async () => {
    let answer: Result<unknown> = fail('INVALID_INPUT', 'not a member', { field: 'ownerId' });
    const s = setup({ 'task.createFromEntry': () => answer });
    s.ctl.openTaskDialog({ ...entry('e1'), patientId: 'other' });
    expect(s.ctl.getState().taskFor).toBeNull();
    s.ctl.openTaskDialog(entry('e1'));
    expect(await s.ctl.createTask({ ownerId: 'role-x', description: 'Revoir', dueDate: '2026-12-03' })).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ taskFor: { entry: { id: 'e1' } }, taskError: { field: 'ownerId' } });
    answer = ok({ clientId: '3b7f3c1e-0000-4000-8000-000000000000', status: 'queued' });
    expect(await s.ctl.createTask({ ownerId: 'role-lamothe', description: 'Revoir', dueDate: '2026-12-03' })).toBe(true);
    expect(s.calls.at(-1)).toEqual(['task.createFromEntry', { patientId: 'p1', entryId: 'e1', ownerId: 'role-lamothe', description: 'Revoir', dueDate: '2026-12-03' }]);
    expect(s.ctl.getState()).toMatchObject({ taskFor: null, taskCreatedFor: 'Sophie LAMOTHE' });
    expect(s.reloaded()).toBe(1);
    // The row sent: the panels reload once more (the assignee's list on the platform has it).
    const item = { id: '3b7f3c1e-0000-4000-8000-000000000000', kind: 'task-create', patientId: 'p1', status: 'sent', attempts: 1, nextAttemptAt: null, lastError: null, platformId: 't1', localEntryId: 'x', summary: 's', createdAt: 'c', updatedAt: 'u' } as const;
    s.emit({ type: 'outbox-changed', items: [item] });
    s.emit({ type: 'outbox-changed', items: [item] });
    expect(s.reloaded()).toBe(2);
  });
});

describe('journal helpers', () => {
  it('puts « Depuis votre dernière visite » above the newest entry already read, only after unread ones', () => {
    expect(sinceLastVisitId([entry('n2', true), entry('n1', true), entry('o1'), entry('o0')])).toBe('o1');
    expect(sinceLastVisitId([entry('o1'), entry('o0')])).toBeNull();
    expect(sinceLastVisitId([entry('n1', true), entry('n0', true)])).toBeNull();
  });

  it('formats a voice note length', () => {
    expect(formatDuration(1.8)).toBe('0:01');
    expect(formatDuration(0.4)).toBe('0:01');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(0)).toBe('0:00');
  });
});

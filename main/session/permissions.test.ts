import { describe, expect, it } from 'vitest';
import {
  API_METHODS,
  METHOD_PERMISSIONS,
  PERMISSIONS,
  ROLES,
  missingPermission,
  requiredPermissions,
  RelaisError,
} from '../../contract';
import { isRetryable } from '../outbox/policy';
import { guardPermissions } from './permissions';

describe('permission table', () => {
  it('classifies every API method, with a known permission or null', () => {
    expect(Object.keys(METHOD_PERMISSIONS).sort()).toEqual([...API_METHODS].sort());
    for (const m of API_METHODS) {
      const p = METHOD_PERMISSIONS[m];
      if (p !== null) expect(PERMISSIONS).toContain(p);
    }
  });

  it('lets a physician make every call, whatever the request', () => {
    for (const m of API_METHODS) {
      expect(missingPermission('physician', m, {} as never), m).toBeNull();
    }
    expect(missingPermission('physician', 'journal.post', { category: 'care', confidentiality: 'medical' } as never)).toBeNull();
  });

  it('refuses a secretary every prescribing, PPS-editing and task-updating method there is', () => {
    const guarded = API_METHODS.filter((m) => ['prescription.write', 'pps.edit', 'task.update'].includes(METHOD_PERMISSIONS[m] ?? ''));
    expect(guarded).toContain('task.updateStatus');
    for (const m of guarded) expect(missingPermission('secretary', m, {} as never), m).not.toBeNull();
  });

  it('journal.post: care needs journal.write, administrative is the secretary default, medical needs journal.read-medical', () => {
    expect(requiredPermissions('secretary', 'journal.post', { patientId: 'p', kind: 'text', text: 'x' })).toEqual(['journal.write-administrative']);
    expect(requiredPermissions('physician', 'journal.post', { patientId: 'p', kind: 'text', text: 'x' })).toEqual(['journal.write']);
    expect(missingPermission('secretary', 'journal.post', { patientId: 'p', kind: 'text', text: 'x', category: 'care' })).toBe('journal.write');
    expect(missingPermission('secretary', 'journal.post', { patientId: 'p', kind: 'text', text: 'x', confidentiality: 'medical' })).toBe('journal.read-medical');
    expect(missingPermission('health-professional', 'journal.post', { patientId: 'p', kind: 'text', text: 'x', confidentiality: 'medical' })).toBeNull();
  });

  it('open methods (session, settings, own audit trail) are open to every role', () => {
    const open = API_METHODS.filter((m) => METHOD_PERMISSIONS[m] === null);
    expect(open).toEqual(expect.arrayContaining(['session.current', 'session.lock', 'session.unlock', 'audit.list']));
    for (const role of ROLES) for (const m of open) expect(missingPermission(role, m, {} as never)).toBeNull();
  });
});

describe('guardPermissions', () => {
  it('refuses before the handler runs, reports the denial without the request content, passes allowed calls', async () => {
    const ran: string[] = [];
    const denials: unknown[] = [];
    const handlers: Record<string, (request: never) => Promise<unknown>> = {
      'task.updateStatus': async () => void ran.push('task'),
      'journal.page': async () => void ran.push('page'),
    };
    guardPermissions(handlers, { role: () => 'secretary', onDenied: (d) => void denials.push(d) });
    const refused = await handlers['task.updateStatus']!({ taskId: 't1', status: 'completed' } as never).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RelaisError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(denials).toEqual([{ method: 'task.updateStatus', permission: 'task.update', patientId: null }]);
    await handlers['journal.page']!({ patientId: 'pat-01' } as never);
    expect(ran).toEqual(['page']);
  });

  it('a FORBIDDEN write is not retried by the outbox', () => {
    expect(isRetryable(new RelaisError('FORBIDDEN', 'HTTP 403'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Permission } from '../../contract';
import { fail, fakeClient, fakeSource, flush, ok, outboxItem } from '../../test-support/fake-client';
import { ReferralController } from './controller';

function setup(handlers = {}, permissions: Permission[] = ['referral.write']) {
  const fake = fakeClient({ 'referral.list': ok({ patientId: 'p1', referrals: [] }), 'referral.recipients': fail('PLATFORM_UNREACHABLE'), ...handlers });
  const session = fakeSource({ session: { permissions } });
  const panels = fakeSource({ panels: { patientId: null as string | null } });
  const ctl = new ReferralController(fake.client, session, panels);
  return { ...fake, ctl, panels, session };
}

const request = { recipient: { kind: 'care-team', memberId: 'm1' }, reason: 'Avis', urgency: 'routine' } as const;

describe('ReferralController', () => {
  it('shows « Adresser » by permission and re-renders when the session changes', () => {
    const s = setup({}, ['journal.read-medical']);
    expect(s.ctl.canRefer()).toBe(false);
    expect(s.ctl.canWriteClinical()).toBe(true);
    const before = s.ctl.getState();
    s.session.set({ session: { permissions: ['referral.write'] } });
    expect(s.ctl.getState()).not.toBe(before);
    expect(s.ctl.canRefer()).toBe(true);
  });

  it('keeps the dialog and what was typed on a refusal; closes it and reloads the list once accepted', async () => {
    const s = setup({ 'referral.create': fail('FORBIDDEN') });
    s.panels.set({ panels: { patientId: 'p1' } });
    s.ctl.openDialog();
    await flush();
    // No recipients from the platform: the dialog still offers the care team.
    expect(s.ctl.getState().recipients).toEqual([]);
    expect(await s.ctl.submit(request)).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ open: true, error: { code: 'FORBIDDEN' } });
    s.handlers['referral.create'] = ok(outboxItem('o1', { kind: 'referral' }));
    expect(await s.ctl.submit(request)).toBe(true);
    expect(s.ctl.getState()).toMatchObject({ open: false, error: null });
    expect(s.calls.filter(([m]) => m === 'referral.create').at(-1)?.[1]).toEqual({ ...request, patientId: 'p1' });
    const lists = s.methods().filter((m) => m === 'referral.list').length;
    s.emit({ type: 'outbox-changed', items: [outboxItem('o1', { kind: 'referral', status: 'failed-permanent' })] });
    expect(s.methods().filter((m) => m === 'referral.list').length).toBe(lists + 1);
  });

  it('« Modifier » on a refused referral: the dialog opens with what was typed, and the send replaces that item', async () => {
    const refusedId = '00000000-0000-4000-8000-0000000000aa';
    const typed = { ...request, expectedAction: 'Passage IDE', attachments: [{ contentType: 'application/pdf', title: 'a.pdf', dataBase64: 'JVBERi0=' }] };
    const s = setup({
      'outbox.form': ({ clientId }: { clientId: string }) => ok(clientId === refusedId ? { kind: 'referral', form: typed } : null),
      'referral.create': ok(outboxItem('o2', { kind: 'referral' })),
    });
    s.panels.set({ panels: { patientId: 'p1' } });
    // Nothing to take back (sent again meanwhile, or another kind): nothing opens.
    expect(await s.ctl.editRefused('00000000-0000-4000-8000-0000000000bb')).toBe(false);
    expect(s.ctl.getState().open).toBe(false);
    s.handlers['outbox.form'] = ok({ kind: 'admission-request', form: typed });
    expect(await s.ctl.editRefused(refusedId)).toBe(false);

    s.handlers['outbox.form'] = ok({ kind: 'referral', form: typed });
    expect(await s.ctl.editRefused(refusedId)).toBe(true);
    expect(s.ctl.getState()).toMatchObject({ open: true, editing: { replaces: refusedId, form: typed } });
    expect(await s.ctl.submit({ ...request, reason: 'Avis modifié' })).toBe(true);
    expect(s.calls.filter(([m]) => m === 'referral.create').at(-1)?.[1]).toEqual({ ...request, reason: 'Avis modifié', patientId: 'p1', replaces: refusedId });
    expect(s.ctl.getState().editing).toBeNull();
    // « Adresser » afterwards is a new referral again.
    s.ctl.openDialog();
    expect(await s.ctl.submit(request)).toBe(true);
    expect(s.calls.filter(([m]) => m === 'referral.create').at(-1)?.[1]).toEqual({ ...request, patientId: 'p1' });
  });
});

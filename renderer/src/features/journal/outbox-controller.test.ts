import { describe, expect, it } from 'vitest';
import { fakeClient, ok, outboxItem } from '../../test-support/fake-client';
import { OutboxController } from './outbox-controller';

describe('OutboxController', () => {
  it('lists the outbox and reads the platform’s reachability from the tries that changed', async () => {
    const online: boolean[] = [];
    const fake = fakeClient({ 'outbox.list': ok([outboxItem('o1', { status: 'sent' })]) });
    const ctl = new OutboxController(fake.client, (o) => online.push(o));
    await ctl.load();
    ctl.track(outboxItem('o2'));
    expect(ctl.getState().map((i) => i.id)).toEqual(['o1', 'o2']);
    // o1 unchanged (already known as sent): not news; o2 failed to reach the platform.
    const unreachable = { code: 'PLATFORM_UNREACHABLE', message: 'down' } as const;
    fake.emit({ type: 'outbox-changed', items: [outboxItem('o1', { status: 'sent' }), outboxItem('o2', { attempts: 1, lastError: unreachable, updatedAt: '2026-11-20T10:01:00Z' })] });
    expect(online).toEqual([false]);
    fake.emit({ type: 'outbox-changed', items: [outboxItem('o2', { status: 'sent', updatedAt: '2026-11-20T10:02:00Z' })] });
    expect(online).toEqual([false, true]);
    expect(ctl.getState().map((i) => i.status)).toEqual(['sent']);
  });

  it('« Réessayer » shows the item queued again; « Modifier » drops it and answers its text, nothing when refused', async () => {
    const fake = fakeClient({
      'outbox.list': ok([outboxItem('o1', { status: 'failed-permanent' }), outboxItem('o2', { status: 'failed-permanent' })]),
      'outbox.retry': ok(outboxItem('o1', { status: 'queued' })),
      'outbox.discard': (req: unknown) => ok((req as { clientId: string }).clientId === 'o2' ? { discarded: true, text: 'Pansement jeudi' } : { discarded: false, text: null }),
    });
    const ctl = new OutboxController(fake.client);
    await ctl.load();
    expect(await ctl.retry('o1')).toBe(true);
    expect(ctl.getState().find((i) => i.id === 'o1')?.status).toBe('queued');
    expect(await ctl.discard('o3')).toBeNull();
    expect(await ctl.discard('o2')).toBe('Pansement jeudi');
    expect(ctl.getState().map((i) => i.id)).toEqual(['o1']);
    expect(fake.calls.slice(1)).toEqual([
      ['outbox.retry', { clientId: 'o1' }],
      ['outbox.discard', { clientId: 'o3' }],
      ['outbox.discard', { clientId: 'o2' }],
    ]);
  });
});

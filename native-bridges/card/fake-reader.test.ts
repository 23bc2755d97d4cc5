import { describe, expect, it } from 'vitest';
import { testPki } from '../../test/fixtures/pki/pki';
import { FakeCardReader } from './fake-reader';
import { PinError } from './types';
import { watchCards } from './watch';

const token = () => ({ label: 'CPS TEST', serial: '0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' });

describe('fake token: PIN tries', () => {
  it('counts down, says final try, then locks; the right PIN resets the count', async () => {
    const reader = new FakeCardReader(token());
    await expect(reader.login('0', '0000')).rejects.toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
    expect(await reader.pinStatus('0')).toMatchObject({ countLow: true, finalTry: false, locked: false, triesLeft: 2 });
    await reader.login('0', '1234');
    expect(await reader.pinStatus('0')).toMatchObject({ countLow: false, triesLeft: 3 });

    await expect(reader.login('0', '1111')).rejects.toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
    const second = await reader.login('0', '2222').catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PinError);
    expect((second as PinError).toShape()).toEqual({ code: 'PIN_INCORRECT', message: 'wrong PIN, 1 tries left', triesLeft: 1 });
    expect(await reader.pinStatus('0')).toMatchObject({ finalTry: true, triesLeft: 1 });
    await expect(reader.login('0', '3333')).rejects.toMatchObject({ code: 'PIN_LOCKED', triesLeft: 0 });
    expect(await reader.pinStatus('0')).toMatchObject({ locked: true, triesLeft: 0 });
    // Blocked: even the right PIN is refused.
    await expect(reader.login('0', '1234')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
  });

  it('never puts the PIN in an error', async () => {
    const reader = new FakeCardReader(token());
    const error = (await reader.login('0', '98765432').catch((e: unknown) => e)) as PinError;
    expect(JSON.stringify({ ...error.toShape(), stack: error.stack })).not.toContain('98765432');
  });

  it('signs only after login, and the card removed answers CARD_REMOVED', async () => {
    const reader = new FakeCardReader(token());
    await expect(reader.sign('0', Buffer.from('x'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await reader.login('0', '1234');
    expect((await reader.sign('0', Buffer.from('x'))).length).toBe(256);
    reader.remove();
    await expect(reader.readAuthCertificate('0')).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    await expect(reader.login('0', '1234')).rejects.toMatchObject({ code: 'CARD_REMOVED' });
  });

  it('the watcher sees removal and insertion', async () => {
    const reader = new FakeCardReader(token());
    const seen: string[] = [];
    const watch = watchCards(reader, { onInserted: () => seen.push('in'), onRemoved: () => seen.push('out') }, 20);
    await watch.poll();
    reader.remove();
    await watch.poll();
    reader.insert(token());
    await watch.poll();
    watch.stop();
    expect(seen).toEqual(['in', 'out', 'in']);
  });
});

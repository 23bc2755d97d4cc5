import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { testPki } from '../../test/fixtures/pki/pki';
import { cardAuthMessage } from './card-challenge';
import { CardSignIn } from './card-sign-in';

const pki = testPki();
const reader = () => new FakeCardReader({ label: 'CPS', serial: '1', certificatePem: pki.gp.certificatePem, privateKeyPem: pki.gp.privateKeyPem, pin: '1234' });

/** A platform answering the two sign-in calls, recording what Relais posted. */
function platform(nonce = 'n'.repeat(43)) {
  const posted: Record<string, string>[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith('/challenge')) return Response.json({ nonce, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    posted.push(JSON.parse(String(init?.body)) as Record<string, string>);
    return Response.json({ accessToken: 'token', tokenType: 'Bearer', expiresIn: 600, professional: { id: 'prac-dufau', kind: 'CPS' } });
  }) as typeof fetch;
  return { posted, fetchImpl };
}

describe('card sign-in client', () => {
  it('signs a statement naming the configured platform origin, the nonce and the time — not the bare nonce', async () => {
    const p = platform();
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    // The auth URL may point elsewhere: the signed origin is the configured platform's.
    const client = new CardSignIn({ reader: reader(), slotId: '0', authUrl: 'https://auth.platform.example/auth', platformUrl: 'https://platform.example/fhir', fetchImpl: p.fetchImpl, now: () => now });
    await client.signIn('1234');
    const sent = p.posted[0]!;
    expect(sent).toMatchObject({ origin: 'https://platform.example', nonce: 'n'.repeat(43), signedAt: '2026-12-01T10:00:00.000Z' });
    const statement = cardAuthMessage({ origin: 'https://platform.example', nonce: sent.nonce!, signedAt: sent.signedAt! });
    expect(statement.toString()).toBe(`relais-card-auth-v1\nhttps://platform.example\n${'n'.repeat(43)}\n2026-12-01T10:00:00.000Z`);
    expect(verify('sha256', statement, pki.gp.certificatePem, Buffer.from(sent.signature!, 'base64'))).toBe(true);
    client.clear();
  });

  it('refuses to sign in to a platform reached over plain http off the machine (before the PIN is used)', async () => {
    const p = platform();
    const card = reader();
    const client = new CardSignIn({ reader: card, slotId: '0', authUrl: 'http://platform.example/auth', platformUrl: 'http://platform.example/fhir', fetchImpl: p.fetchImpl });
    await expect(client.signIn('1234')).rejects.toMatchObject({ code: 'PLATFORM_NOT_CONFIGURED' });
    expect(p.posted).toHaveLength(0);
  });
});

import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPki } from '../../test/fixtures/pki/pki';
import { startSandbox, type Sandbox } from '../server';
import { cardAuthStatement } from './card-auth';

// Spy on the constant-time compare the sandbox must use for fixed bearer keys.
const compared = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.calls++;
      return real.timingSafeEqual(a, b);
    },
  };
});

/**
 * The sandbox's card sign-in binds the signature to the platform: the card signs
 * `relais-card-auth-v1\n<origin>\n<nonce>\n<signedAt>`; another origin, a replay or an old
 * time is refused. The challenge map is bounded.
 */
let sandbox: Sandbox;
let clock = Date.now();
const pki = testPki();

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: 1,
    accessToken: 'fixed-key-of-the-tests',
    cardAuth: { trustedRootsPem: [pki.root.certificatePem], maxChallenges: 3, now: () => clock },
  });
});
afterAll(async () => {
  await sandbox?.close();
});

const origin = () => new URL(sandbox.url).origin;

async function challenge(): Promise<string> {
  const r = await fetch(`${sandbox.authUrl}/challenge`, { method: 'POST' });
  return ((await r.json()) as { nonce: string }).nonce;
}

async function answer(nonce: string, options: { signedFor?: string; claimed?: string; signedAt?: string } = {}) {
  const signedAt = options.signedAt ?? new Date(clock).toISOString();
  const signature = sign('sha256', cardAuthStatement(options.signedFor ?? origin(), nonce, signedAt), pki.gp.privateKeyPem).toString('base64');
  const body = JSON.stringify({ certificatePem: pki.gp.certificatePem, origin: options.claimed ?? options.signedFor ?? origin(), nonce, signedAt, signature });
  const r = await fetch(`${sandbox.authUrl}/card`, { method: 'POST', body });
  return { status: r.status, body: (await r.json()) as { error?: string; accessToken?: string } };
}

describe('sandbox card sign-in: the signature names this platform, a time and a fresh nonce', () => {
  it('accepts a statement signed for its own origin, once', async () => {
    const nonce = await challenge();
    const first = await answer(nonce);
    expect(first.status).toBe(200);
    expect(first.body.accessToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const replay = await answer(nonce);
    expect(replay).toMatchObject({ status: 401, body: { error: 'invalid_nonce' } });
  });

  it('refuses a signature made for another platform (a fake one relaying our nonce)', async () => {
    const claimedOther = await answer(await challenge(), { signedFor: 'https://fake-platform.example' });
    expect(claimedOther).toMatchObject({ status: 401, body: { error: 'wrong_origin' } });
    // Lying about the origin does not help: the statement is rebuilt with ours.
    const lied = await answer(await challenge(), { signedFor: 'https://fake-platform.example', claimed: origin() });
    expect(lied).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });

  it('refuses an old (or future) signed time and a nonce it never issued', async () => {
    const old = await answer(await challenge(), { signedAt: new Date(clock - 10 * 60_000).toISOString() });
    expect(old).toMatchObject({ status: 401, body: { error: 'stale_signature' } });
    const future = await answer(await challenge(), { signedAt: new Date(clock + 10 * 60_000).toISOString() });
    expect(future).toMatchObject({ status: 401, body: { error: 'stale_signature' } });
    expect(await answer('not-a-nonce-we-issued-0123456789')).toMatchObject({ status: 401, body: { error: 'invalid_nonce' } });
  });

  it('keeps at most maxChallenges live challenges (oldest dropped) and drops expired ones', async () => {
    const oldest = await challenge();
    await challenge();
    await challenge();
    const newest = await challenge(); // the 4th: the oldest is evicted
    expect(await answer(oldest)).toMatchObject({ status: 401, body: { error: 'invalid_nonce' } });
    expect((await answer(newest)).status).toBe(200);
    const expiring = await challenge();
    clock += 61_000;
    expect(await answer(expiring)).toMatchObject({ status: 401, body: { error: 'invalid_nonce' } });
  });

  it('compares a fixed bearer key in constant time (timingSafeEqual on digests)', async () => {
    compared.calls = 0;
    const wrong = await fetch(`${sandbox.url}/metadata`, { headers: { Authorization: 'Bearer fixed-key-of-the-testX' } });
    expect(wrong.status).toBe(401);
    expect(compared.calls).toBeGreaterThan(0);
    const right = await fetch(`${sandbox.url}/metadata`, { headers: { Authorization: 'Bearer fixed-key-of-the-tests' } });
    expect(right.status).toBe(200);
  });
});

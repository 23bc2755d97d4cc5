import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopback';

/**
 * The loopback redirect is reachable by any page the professional has open (a GET to 127.0.0.1 is
 * not blocked by the browser). Only the authorization response carrying our state may settle it.
 */
const open: LoopbackRedirect[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function listener(): Promise<LoopbackRedirect> {
  const l = await startLoopbackRedirect({ expectedState: 'our-state-123', timeoutMs: 10_000 });
  open.push(l);
  return l;
}

function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]);
}

describe('PSC loopback redirect', () => {
  it('ignores an error callback without our state: a local page cannot cancel the sign-in', async () => {
    const l = await listener();
    const forged = await fetch(`${l.redirectUri}?error=access_denied`);
    expect(forged.status).toBe(400);
    const wrong = await fetch(`${l.redirectUri}?error=access_denied&state=guess`);
    expect(wrong.status).toBe(400);
    const injected = await fetch(`${l.redirectUri}?code=attacker-code&state=`);
    expect(injected.status).toBe(400);
    expect(await settled(l.callback)).toBe(false);
    // The genuine answer still gets through afterwards.
    const genuine = await fetch(`${l.redirectUri}?code=abc&state=our-state-123`);
    expect(genuine.status).toBe(200);
    const url = await l.callback;
    expect(url.searchParams.get('code')).toBe('abc');
  });

  it('an error answer carrying our state ends the sign-in (the professional refused at PSC)', async () => {
    const l = await listener();
    const r = await fetch(`${l.redirectUri}?error=access_denied&state=our-state-123`);
    expect(await r.text()).toContain('Connexion interrompue');
    expect((await l.callback).searchParams.get('error')).toBe('access_denied');
  });
});

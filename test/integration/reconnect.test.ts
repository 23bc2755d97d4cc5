import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RelaisEvent } from '../../contract';
import { composeCore, type Composition } from '../../main/compose';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';

let sandbox: Sandbox | undefined;
let comp: Composition | undefined;
const dir = mkdtempSync(join(tmpdir(), 'relais-reconnect-'));
afterAll(async () => {
  await comp?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(predicate: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background sync across a platform outage', () => {
  it('says offline while the platform is down and resumes by itself when it is back', async () => {
    sandbox = await startSandbox({ port: 0, seed: 1 });
    const port = sandbox.port;
    comp = await composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true, reconnectBaseMs: 50 });
    const states: RelaisEvent[] = [];
    comp.core.events.subscribe((e) => {
      if (e.type === 'sync-status') states.push(e);
    });
    await comp.core.handlers['patient.list']({}); // followed patients known to the store
    await sandbox.close();
    comp.core.background.start();
    await until(() => comp!.core.background.status.state === 'offline');
    expect(comp.core.session().online).toBe(false);

    sandbox = await startSandbox({ port, seed: 1 });
    await until(() => comp!.core.background.status.state === 'idle' && comp!.core.background.status.lastCompleteAt !== null, 30_000);
    expect(comp.core.session().online).toBe(true);
    expect(states.some((s) => s.type === 'sync-status' && s.state === 'offline')).toBe(true);
    expect(comp.store.listPatients().every((p) => comp!.store.getSyncedAt(p.id) !== null)).toBe(true);
  }, 60_000);
});

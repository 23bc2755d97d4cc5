import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchContext } from '../../contract';
import type { RelaisCore } from '../core';
import { startControlServer, type ControlServer } from '../instance/control-server';
import { writeInstanceFile } from '../instance/instance-file';
import { cliLaunchArgv } from '../launch/argv';
import { forwardArgv, forwardLaunch } from './forward';
import { runCli } from './relais-cli';

const OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';

let server: ControlServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function recordingCore() {
  const opened: LaunchContext[] = [];
  const core = {
    openPatient: async (ctx: LaunchContext) => {
      opened.push(ctx);
      return { patient: { id: 'p1' }, cached: false };
    },
    launchRejected: () => undefined,
  } as unknown as RelaisCore;
  return { core, opened };
}

async function both(args: string[], dataDir: string) {
  const run = async (f: (io: { out(l: string): void; err(l: string): void }) => Promise<number | null>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await f({ out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { fast: await run((io) => forwardLaunch(args, io, dataDir)), full: await run((io) => runCli(args, io, dataDir)) };
}

describe('relais launch fast path (forwarding without zod)', () => {
  it('builds the same argv as the full CLI', () => {
    for (const args of [[OK], ['--ins', '1', '--sex', 'F'], ['RELAIS://x'], []]) expect(forwardArgv(args)).toEqual(cliLaunchArgv(args));
  });

  it('answers exactly like the full CLI when an instance runs: opened, invalid, no launch at all', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const dir = mkdtempSync(join(tmpdir(), 'relais-fwd-'));
    dirs.push(dir);
    writeInstanceFile(dir, { pid: 1, host: 'web', controlUrl: server.url, token: server.token });
    for (const args of [['launch', OK], ['launch', OK.replace('611193', '611194')], ['launch', '--foo', 'bar']]) {
      const { fast, full } = await both(args, dir);
      expect(fast).toEqual(full);
    }
    expect(rec.opened.filter((c) => c.birthName === 'DUPONT')).toHaveLength(2);
  });

  it('hands over to the full CLI (null) when no instance answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-fwd-'));
    dirs.push(dir);
    expect(await forwardLaunch(['launch', OK], { out: () => {}, err: () => {} }, dir)).toBeNull();
    writeInstanceFile(dir, { pid: 1, host: 'web', controlUrl: 'http://127.0.0.1:9', token: 'x'.repeat(43) });
    expect(await forwardLaunch(['launch', OK], { out: () => {}, err: () => {} }, dir)).toBeNull();
    expect(await forwardLaunch(['open', OK], { out: () => {}, err: () => {} }, dir)).toBeNull();
  });
});

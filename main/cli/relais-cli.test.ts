import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeInstanceFile } from '../instance/instance-file';
import { runCli } from './relais-cli';

const OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(args: string[], dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, dataDir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function emptyDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'relais-cli-'));
  dirs.push(d);
  return d;
}

describe('relais CLI', () => {
  it('prints the usage for anything but a launch', async () => {
    expect((await cli([], emptyDir())).code).toBe(2);
    expect((await cli(['open', OK], emptyDir())).err).toMatch(/Usage/);
  });

  it('explains an invalid launch in French even when Relais is not running', async () => {
    const r = await cli(['launch', OK.replace('611193', '611194')], emptyDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/INS_INVALID.*clé de l'INS/);
  });

  it('says Relais is not started when there is no instance, and not answering when it died', async () => {
    const dir = emptyDir();
    expect(await cli(['launch', OK], dir)).toMatchObject({ code: 1, err: expect.stringMatching(/pas démarré/) });
    writeInstanceFile(dir, { pid: 1, host: 'web', controlUrl: 'http://127.0.0.1:9', token: 'x'.repeat(43) });
    expect(await cli(['launch', OK], dir)).toMatchObject({ code: 1, err: expect.stringMatching(/ne répond pas/) });
  });

  it('sends the token to no endpoint but 127.0.0.1: an instance.json naming localhost is ignored', async () => {
    let reached = false;
    const server = createServer((_req, res) => {
      reached = true;
      res.end('{"ok":true,"value":{"opened":true}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = emptyDir();
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(dir, 'instance.json'), JSON.stringify({ pid: 1, host: 'web', controlUrl: `http://localhost:${port}`, token: 's'.repeat(43) }));
    try {
      expect(await cli(['launch', OK], dir)).toMatchObject({ code: 1, err: expect.stringMatching(/pas démarré/) });
      expect(reached).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

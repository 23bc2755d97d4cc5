/**
 * The native `relais-launch` (native-launcher/, Go) as built by scripts/build-launcher.ts, run as
 * a process against a real control endpoint: it must answer exactly as the Node command does
 * (same French lines, same exit codes), survive a hostile answer, hand over to the full Node
 * command when nothing runs, and, installed beside the app, start the app with the launch.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RelaisError, type LaunchContext } from '../../contract';
import type { RelaisCore } from '../../main/core';
import { forwardLaunch } from '../../main/cli/forward';
import { runCli } from '../../main/cli/relais-cli';
import { startControlServer, type ControlServer } from '../../main/instance/control-server';
import { writeInstanceFile } from '../../main/instance/instance-file';
import { launchFromArgv } from '../../main/launch/argv';
import { buildLauncher, writeLauncherData } from '../../scripts/build-launcher';

const ROOT = join(import.meta.dirname, '..', '..');
const OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';
const FLAGS = ['--ins', '295109912611193', '--oid', '1.2.250.1.213.1.4.10', '--birth-name', 'Dupont', '--first-names=Marie', '--birth-date', '1995-10-12', '--sex', 'F'];

let launcher: string;
let server: ControlServer | undefined;
let raw: Server | undefined;
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

beforeAll(() => {
  writeLauncherData();
  launcher = buildLauncher();
}, 180_000);

afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise((r) => (raw ? raw.close(r) : r(null)));
  raw = undefined;
});
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The launcher runs while this process's control endpoint answers it: asynchronous spawn. */
async function native(args: string[], dataDir: string, bin = launcher) {
  const { spawn } = await import('node:child_process');
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, RELAIS_DATA_DIR: dataDir }, cwd: tmpdir() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: out.trimEnd(), err: err.trimEnd() }));
  });
}

async function inProcess(f: (io: { out(l: string): void; err(l: string): void }) => Promise<number | null>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await f({ out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function coreThat(open: (ctx: LaunchContext) => Promise<unknown>) {
  const opened: LaunchContext[] = [];
  const core = {
    openPatient: async (ctx: LaunchContext) => {
      opened.push(ctx);
      return open(ctx);
    },
    launchRejected: () => undefined,
  } as unknown as RelaisCore;
  return { core, opened };
}

describe('relais-launch, the native launcher', () => {
  it("passes the launcher's own Go tests (data folder per OS, instance.json checks, app arguments)", () => {
    const r = spawnSync('go', ['test', '-count=1', '-v', '.'], { cwd: join(ROOT, 'native-launcher'), encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0' } });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect((r.stdout.match(/^--- PASS/gm) ?? []).length).toBeGreaterThanOrEqual(5);
  }, 180_000);

  it('answers exactly like the Node command when an instance runs: opened, invalid, options, no launch', async () => {
    const rec = coreThat(async () => ({ patient: { id: 'p1' }, cached: true }));
    server = await startControlServer(rec.core);
    const dir = tempDir('relais-native-');
    writeInstanceFile(dir, { pid: 1, host: 'web', controlUrl: server.url, token: server.token });
    for (const args of [['launch', OK], ['launch', OK.replace('611193', '611194')], ['launch', ...FLAGS], ['launch', '--foo', 'bar'], ['launch', 'relais://patient/open?ins=1']]) {
      const got = await native(args, dir);
      const fast = await inProcess((io) => forwardLaunch(args, io, dir));
      expect(got, args.join(' ')).toEqual(fast);
    }
    expect(rec.opened.filter((c) => c.birthName === 'DUPONT')).toHaveLength(4);
    expect((await native(['launch', OK], dir)).out).toBe('Patient ouvert dans Relais (web).');
  });

  it('exit 3 with the French reason when the window holds the launch for an identity check', async () => {
    const rec = coreThat(async () => {
      throw new RelaisError('IDENTITY_MISMATCH', 'traits differ');
    });
    server = await startControlServer(rec.core);
    const dir = tempDir('relais-native-');
    writeInstanceFile(dir, { pid: 1, host: 'electron', controlUrl: server.url, token: server.token });
    const got = await native(['launch', OK], dir);
    expect(got.code).toBe(3);
    expect(got.err).toMatch(/^Erreur IDENTITY_MISMATCH : /);
    expect(got).toEqual(await inProcess((io) => runCli(['launch', OK], io, dir)));
  });

  it('survives a hostile or broken answer: not JSON, an unknown code, a huge body', async () => {
    const answers = [
      { status: 500, body: '<html><script>alert(1)</script>' },
      { status: 422, body: JSON.stringify({ ok: false, error: { code: 'NO_SUCH_CODE', field: '{message}' } }) },
      { status: 200, body: `{"ok":true,"value":{"opened":true},"pad":"${'x'.repeat(200_000)}"}` },
    ];
    let next = 0;
    raw = createServer((req, res) => {
      const a = answers[next++]!;
      req.resume();
      req.on('end', () => res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body));
    });
    await new Promise<void>((r) => raw!.listen(0, '127.0.0.1', r));
    const dir = tempDir('relais-native-');
    writeInstanceFile(dir, { pid: 1, host: 'web', controlUrl: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, token: 't'.repeat(43) });
    const notJson = await native(['launch', OK], dir);
    expect(notJson).toEqual({ code: 1, out: '', err: "Relais a refusé l'ouverture (HTTP 500)." });
    const unknown = await native(['launch', OK], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^Erreur NO_SUCH_CODE \(champ : \{message\}\) : \S/);
    expect(unknown.err).not.toContain('NO_SUCH_CODE (champ : {message}) : {message}');
    const huge = await native(['launch', OK], dir);
    expect(huge).toEqual({ code: 1, out: '', err: "Relais a refusé l'ouverture (HTTP 200)." });
  });

  it('never sends the token off the machine: a non-loopback controlUrl is not used', async () => {
    let reached = false;
    raw = createServer((_req, res) => {
      reached = true;
      res.end('{}');
    });
    await new Promise<void>((r) => raw!.listen(0, '127.0.0.1', r));
    const dir = tempDir('relais-native-');
    // localhost, not 127.0.0.1: another name could resolve elsewhere.
    writeFileSync(
      join(dir, 'instance.json'),
      JSON.stringify({ pid: 1, host: 'web', controlUrl: `http://localhost:${(raw.address() as AddressInfo).port}`, token: 's'.repeat(43) }),
    );
    await native(['launch', 'relais://patient/open?ins=1'], dir);
    expect(reached).toBe(false);
  });

  it('hands over to the Node command when nothing answers (same lines, same exit codes)', async () => {
    const dir = tempDir('relais-native-');
    const viaNode = (args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'relais.mjs'), ...args], { env: { ...process.env, RELAIS_DATA_DIR: dir }, encoding: 'utf8' });
    for (const args of [['launch', OK], ['launch', 'relais://patient/open?ins=1'], ['version']]) {
      const got = await native(args, dir);
      const node = viaNode(args);
      expect({ code: got.code, out: got.out, err: got.err }, args.join(' ')).toEqual({ code: node.status, out: node.stdout.trimEnd(), err: node.stderr.trimEnd() });
    }
    expect((await native(['launch', OK], dir)).err).toContain("Relais n'est pas démarré sur ce poste");
  });

  it('installed beside the app with nothing running: starts the app with the launch after --', async () => {
    const app = tempDir('relais-installed-');
    const bin = join(app, 'relais-launch');
    copyFileSync(launcher, bin);
    chmodSync(bin, 0o755);
    const record = join(app, 'argv.json');
    // The Electron binary cannot be downloaded here; this stands in for it and records its argv.
    writeFileSync(join(app, 'relais'), `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' "${record}" "$@"\n`);
    chmodSync(join(app, 'relais'), 0o755);
    const dir = tempDir('relais-native-');
    for (const args of [[OK], FLAGS]) {
      rmSync(record, { force: true });
      const got = await native(['launch', ...args], dir, bin);
      expect(got).toEqual({ code: 0, out: 'Relais démarre et ouvrira le patient.', err: '' });
      await expect.poll(() => readFileSync(record, 'utf8'), { timeout: 10_000 }).toMatch(/^\[/);
      const argv = JSON.parse(readFileSync(record, 'utf8')) as string[];
      expect(argv[0]).toBe('--');
      expect(launchFromArgv(argv)).toEqual(launchFromArgv(args[0] === OK ? ['--', OK] : FLAGS));
    }
    const bad = await native(['launch', '--gpu-launcher=/bin/evil'], dir, bin);
    expect(bad.code).toBe(2);
  });
});

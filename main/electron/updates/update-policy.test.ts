import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpUpdateSource } from './http-source';
import { authenticodeVerifier } from './publisher';
import { PUBLISHER_UPDATE_URL, UpdateController, compareVersions, parseLatestYml, updateFeed, type UpdateFeed, type WorkInProgress } from './update-policy';

/** A folder served over http on 127.0.0.1, as an IT person's internal update server would. */
const served = new Map<string, Buffer>();
const requests: string[] = [];
let server: Server;
let base: string;
let dir: string;

function publish(version: string, artefact: Buffer, opts: { channelFile?: string; announcedSha?: string } = {}): void {
  const name = `Relais-Setup-${version}.exe`;
  const sha512 = opts.announcedSha ?? createHash('sha512').update(artefact).digest('base64');
  served.set(`/${name}`, artefact);
  served.set(
    `/${opts.channelFile ?? 'latest.yml'}`,
    Buffer.from(`version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${artefact.length}\npath: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-11-30T10:00:00.000Z'\n`),
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = served.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  dir = mkdtempSync(join(tmpdir(), 'relais-updates-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const idle: WorkInProgress = { pendingOutbox: 0, signing: false, editing: false };

function controller(feed: UpdateFeed | null, work: () => WorkInProgress = () => idle) {
  const installed: string[] = [];
  const c = new UpdateController({ feed, currentVersion: '1.2.0', source: httpUpdateSource(dir, (file) => installed.push(file)), work });
  return { c, installed };
}

const feed = (): UpdateFeed => ({ url: base, channel: 'stable', file: 'latest.yml' });

describe('update logic against a local update server', () => {
  it('downloads a newer version with progress, and installs it on quit', async () => {
    const artefact = Buffer.from('MZ… installeur Relais 1.3.0 '.repeat(2000));
    publish('1.3.0', artefact);
    const progress: number[] = [];
    const installed: string[] = [];
    const c = new UpdateController({
      feed: feed(),
      currentVersion: '1.2.0',
      source: httpUpdateSource(dir, (f) => installed.push(f)),
      work: () => idle,
      onState: (s) => s.status === 'downloading' && progress.push(s.percent),
    });
    expect(await c.check()).toMatchObject({ status: 'ready', version: '1.3.0' });
    expect(progress.at(-1)).toBe(100);
    expect(c.installIfReady(false)).toEqual({ installed: true, waitingFor: null });
    expect(installed).toHaveLength(1);
    expect(readFileSync(installed[0]!)).toEqual(artefact);
  });

  it('a pending outbox item delays the install; it goes once the item is sent', async () => {
    publish('1.3.0', Buffer.from('installeur 1.3.0'));
    let work: WorkInProgress = { ...idle, pendingOutbox: 1 };
    const { c, installed } = controller(feed(), () => work);
    await c.check();
    expect(c.installIfReady(false)).toEqual({ installed: false, waitingFor: '1 envoi(s) en attente' });
    work = { ...idle, signing: true };
    expect(c.installIfReady(true).waitingFor).toMatch(/signature/);
    expect(installed).toEqual([]);
    work = idle;
    expect(c.installIfReady(true).installed).toBe(true);
    expect(installed).toHaveLength(1);
  });

  it('disabled by policy: never checks, never asks the server', async () => {
    const before = requests.length;
    const { c } = controller(updateFeed({ updatesDisabled: true, updateUrl: base }));
    c.start();
    expect(await c.check()).toEqual({ status: 'disabled' });
    c.stop();
    expect(requests.length).toBe(before);
  });

  it('refuses a tampered artefact (sha512 mismatch) and installs nothing', async () => {
    publish('1.4.0', Buffer.from('the announced installer'));
    served.set('/Relais-Setup-1.4.0.exe', Buffer.from('a different, tampered installer'));
    const { c, installed } = controller(feed());
    expect(await c.check()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/sha512/) });
    expect(c.installIfReady(false).installed).toBe(false);
    expect(installed).toEqual([]);
  });

  it('refuses an older version (no downgrade) without downloading it', async () => {
    publish('1.1.9', Buffer.from('old installer'));
    const before = requests.length;
    const { c } = controller(feed());
    expect(await c.check()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/plus ancienne/) });
    expect(requests.slice(before)).toEqual(['/latest.yml']);
  });

  it('the pilote channel reads pilote.yml', async () => {
    publish('1.5.0-pilote.1', Buffer.from('pilote'), { channelFile: 'pilote.yml' });
    const f = updateFeed({ updateChannel: 'pilote', updateUrl: base.slice(0, -1) })!;
    expect(f).toEqual({ url: base, channel: 'pilote', file: 'pilote.yml' });
    const { c } = controller(f);
    expect(await c.check()).toMatchObject({ status: 'ready', version: '1.5.0-pilote.1' });
  });
});

/** What `Get-AuthenticodeSignature … | ConvertTo-Json` prints for a file signed by `subject` (Status 0 = Valid). */
const authenticode = (file: string, subject: string, status = 0) => JSON.stringify({ Status: status, StatusMessage: status ? 'HashMismatch' : 'Signature verified.', Path: file, SignerCertificate: { Subject: subject } });
const RELAIS_DN = 'CN=Relais Santé SAS, O=Relais Santé SAS, L=Mont-de-Marsan, C=FR';

describe('Windows publisher check of a downloaded update (plain-Node side of verifyUpdateCodeSignature)', () => {
  /** The controller as the shell wires it: app-update.yml says [Relais], the policy may say otherwise. */
  function signed(subject: string | null, policy: Parameters<typeof authenticodeVerifier>[0] = {}, status = 0) {
    const verify = authenticodeVerifier(policy, async (file) => {
      if (subject === null) throw new Error('powershell.exe: not found');
      return authenticode(file, subject, status);
    });
    const installed: string[] = [];
    const c = new UpdateController({
      feed: feed(),
      currentVersion: '1.2.0',
      source: httpUpdateSource(dir, (f) => installed.push(f), (file) => verify(['Relais'], file)),
      work: () => idle,
    });
    return { c, installed };
  }

  it('an installer signed by another publisher is refused and never installed', async () => {
    publish('1.6.0', Buffer.from('installeur signé par un inconnu'));
    const { c, installed } = signed('CN=Evil Corp, O=Evil Corp, C=US');
    expect(await c.check()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/Evil Corp.*not one of Relais/) });
    expect(c.installIfReady(false)).toEqual({ installed: false, waitingFor: null });
    expect(installed).toEqual([]);
  });

  it('the expected publisher (CN of app-update.yml) is accepted', async () => {
    publish('1.6.0', Buffer.from('installeur Relais 1.6.0'));
    const { c } = signed('CN=Relais, O=Relais, C=FR');
    expect(await c.check()).toMatchObject({ status: 'ready', version: '1.6.0' });
  });

  it('an invalid signature or an unreadable one (PowerShell failing) is refused, not waved through', async () => {
    publish('1.6.0', Buffer.from('installeur Relais 1.6.0'));
    expect(await signed('CN=Relais', {}, 1).c.check()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/not valid \(HashMismatch\)/) });
    expect(await signed(null).c.check()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/could not be read/) });
  });

  it('the policy\'s updatePublisherName (full DN) replaces app-update.yml: every part must match', async () => {
    publish('1.6.0', Buffer.from('installeur re-signé par la DSI'));
    const policy = { updatePublisherName: `CN=DSI Cabinet, O=MSP des Arènes, C=FR; ${RELAIS_DN}` };
    expect(await signed(RELAIS_DN, policy).c.check()).toMatchObject({ status: 'ready' });
    expect(await signed('CN=DSI Cabinet, O=Autre structure, C=FR', policy).c.check()).toMatchObject({ status: 'refused' });
    // app-update.yml's « Relais » no longer suffices once the policy names its publishers.
    expect(await signed('CN=Relais', policy).c.check()).toMatchObject({ status: 'refused' });
  });
});

describe('update feed and versions', () => {
  it('the publisher feed is the one electron-builder writes into app-update.yml', () => {
    const yml = readFileSync(join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8');
    expect(/^publish:\n(?: {2}.*\n)*? {2}url: (\S+)$/m.exec(yml)?.[1]).toBe(PUBLISHER_UPDATE_URL);
  });

  it('defaults to the publisher feed, stable', () => {
    expect(updateFeed({})).toMatchObject({ channel: 'stable', file: 'latest.yml', url: expect.stringMatching(/^https:\/\//) });
  });
  it('orders versions, pre-releases before their release', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.3.0-pilote.1', '1.3.0')).toBeLessThan(0);
    expect(compareVersions('1.3.0', '1.3.0')).toBe(0);
  });
  it('refuses a latest.yml without sha512', () => {
    expect(() => parseLatestYml('version: 1.3.0\nfiles:\n  - url: a.exe\n')).toThrow(/sha512/);
  });
});

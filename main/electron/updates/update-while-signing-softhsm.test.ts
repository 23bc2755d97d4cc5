/**
 * Issue 16, item 1: an update never installs while a prescription is being signed. The shell's
 * update controller reads `signingInProgress()` (main/signature/signing-state.ts); here a real
 * card signature on SoftHSM2 is in flight (PIN login → the card signs → logout) when the user
 * clicks « Redémarrer pour mettre à jour » and when the app quits: both wait, and the install
 * happens once the signature is done. A wrong PIN releases the hold too.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpUpdateSource } from './http-source';
import { UpdateController } from './update-policy';
import { cardDocumentSigner } from '../../signature/card-document-signer';
import { signingInProgress } from '../../signature/signing-state';
import { Pkcs11CardReader } from '../../../native-bridges/card/pkcs11-reader';
import { DEMO_GP_CARD } from '../../../test/fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm, type SoftHsmToken } from '../../../test/fixtures/pki/softhsm-token';

const softhsm = findSoftHsm();
if (!softhsm) console.warn('[update-while-signing] SKIPPED: needs softhsm2 and opensc');
const PIN = '48203917';

describe.skipIf(!softhsm)('update install vs. a card signature in flight (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let reader: Pkcs11CardReader;
  let server: Server;
  let dir: string;
  let controller: UpdateController;
  const installed: string[] = [];

  beforeAll(async () => {
    token = createSoftHsmToken({ pin: PIN });
    process.env.SOFTHSM2_CONF = token.conf;
    reader = new Pkcs11CardReader(token.lib);
    dir = mkdtempSync(join(tmpdir(), 'relais-update-sign-'));
    // A local update server offering 1.3.0 over the running 1.2.0.
    const artefact = Buffer.from('installeur Relais 1.3.0');
    const sha512 = createHash('sha512').update(artefact).digest('base64');
    const files = new Map([
      ['/latest.yml', Buffer.from(`version: 1.3.0\nfiles:\n  - url: Relais-Setup-1.3.0.exe\n    sha512: ${sha512}\n    size: ${artefact.length}\n`)],
      ['/Relais-Setup-1.3.0.exe', artefact],
    ]);
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    controller = new UpdateController({
      feed: { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, channel: 'stable', file: 'latest.yml' },
      currentVersion: '1.2.0',
      source: httpUpdateSource(dir, (file) => installed.push(file)),
      // What main/electron/main.ts gives the controller.
      work: () => ({ pendingOutbox: 0, signing: signingInProgress(), editing: false }),
    });
    expect(await controller.check()).toMatchObject({ status: 'ready', version: '1.3.0' });
  }, 120_000);

  afterAll(async () => {
    await reader?.close();
    token?.destroy();
    await new Promise((r) => server?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('waits while the card signs, installs right after', async () => {
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
    expect(signingInProgress()).toBe(false);
    const during: Array<{ installed: boolean; waitingFor: string | null }> = [];
    const signature = await signer.withSignatureKey(PIN, async (key) => {
      during.push(controller.installIfReady(true)); // « Redémarrer pour mettre à jour »
      const sig = await key.sign(Buffer.from('ordonnance à signer'));
      during.push(controller.installIfReady(false)); // quit
      return sig;
    });
    expect(signature.length).toBeGreaterThan(100);
    expect(during).toEqual([
      { installed: false, waitingFor: 'une ordonnance est en cours de signature' },
      { installed: false, waitingFor: 'une ordonnance est en cours de signature' },
    ]);
    expect(installed).toEqual([]);
    expect(signingInProgress()).toBe(false);
    expect(controller.installIfReady(false)).toEqual({ installed: true, waitingFor: null });
    expect(installed).toHaveLength(1);
  });

  it('a wrong PIN ends the signing state (the update is not held forever)', async () => {
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
    await expect(signer.withSignatureKey('00000000', async () => 'never')).rejects.toThrow();
    expect(signingInProgress()).toBe(false);
  });
});

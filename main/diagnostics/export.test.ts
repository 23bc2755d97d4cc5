import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server';
import { createLogger, logDir } from '../logging/logger';
import { buildDiagnosticZip, platformReachability } from './export';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('« Exporter un diagnostic »', () => {
  it('zips versions, policy, counts, reachability and the logs, with no patient data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-diag-'));
    dirs.push(dataDir);
    const log = createLogger({ dir: logDir(dataDir) });
    log.info('patient.opened', { patientId: 'p-1', birthName: 'DUPONT', ins: '295109912611193' });
    log.error('launch.failed', { error: new Error('INS 295109912611193 inconnu, PIN 1234') });
    await log.close();
    const sandbox = await startSandbox({ port: 0, seed: 1 });
    try {
      const reachability = await platformReachability(sandbox.url);
      expect(reachability).toMatchObject({ reachable: true, status: 200 });
      const zip = buildDiagnosticZip({
        dataDir,
        versions: { relais: '0.1.0', electron: '41.7.1' },
        policy: { policy: { updateChannel: 'pilote' }, problems: [], source: '/etc/relais/policy.json' },
        platformUrl: sandbox.url,
        outboxCounts: { queued: 2, sending: 0, sent: 10, 'failed-permanent': 0 },
        correlationId: log.correlationId,
        reachability,
      });
      const files = unzipSync(zip);
      expect(Object.keys(files).sort()).toEqual(['LISEZMOI.txt', 'logs/relais.log', 'outbox.json', 'platform.json', 'policy.json', 'versions.json']);
      expect(JSON.parse(strFromU8(files['policy.json']!)).inForce).toEqual({ updateChannel: 'pilote' });
      expect(JSON.parse(strFromU8(files['outbox.json']!)).queued).toBe(2);
      const all = Object.values(files).map((f) => strFromU8(f)).join('\n');
      expect(all).toContain('patient.opened');
      for (const secret of ['DUPONT', '295109912611193', '1234']) expect(all).not.toContain(secret);
    } finally {
      await sandbox.close();
    }
  }, 180_000);

  it('an unreachable platform is reported, not thrown', async () => {
    expect(await platformReachability('http://127.0.0.1:9/fhir')).toMatchObject({ reachable: false });
    expect(await platformReachability('')).toMatchObject({ reachable: false });
  });
});

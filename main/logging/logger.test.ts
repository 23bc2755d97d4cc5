import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, formatLine } from './logger';
import { redactFields, scrubText } from './redact';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('technical log', () => {
  it('writes one line per event with the level and this launch correlation id; below the level nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-log-'));
    dirs.push(dir);
    const log = createLogger({ dir, level: 'info' });
    log.info('shell.started', { host: 'electron', version: '0.1.0' });
    log.debug('shell.detail', { n: 1 });
    log.warn('platform.unreachable', { attempt: 2 });
    log.setLevel('debug');
    log.debug('shell.detail', { n: 2 });
    await log.close();
    const lines = readFileSync(join(dir, 'relais.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO  ${log.correlationId} shell.started host="electron" version="0.1.0"$`));
    expect(lines[1]).toContain(`WARN  ${log.correlationId} platform.unreachable attempt=2`);
    expect(lines[2]).toContain('DEBUG');
    expect(statSync(join(dir, 'relais.log')).mode & 0o077).toBe(0);
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-log-'));
    dirs.push(dir);
    const log = createLogger({ dir, size: '2K', files: 3 });
    for (let i = 0; i < 400; i++) {
      log.info('sync.page', { page: i, entries: 50 });
      if (i % 40 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await log.close();
    const files = readdirSync(dir).sort();
    expect(files[0]).toBe('relais.log');
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(4);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThan(4096);
  });

  it('never writes a patient trait, an INS, a PIN or a token', () => {
    const line = formatLine('error', 'ffffeeee', 'launch.failed', {
      birthName: 'DUPONT',
      ins: '295109912611193',
      pin: '1234',
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
      url: 'relais://patient/open/?ins=295109912611193&birthName=DUPONT',
      error: new Error('no patient with INS 2 95 10 99 126 111 93 (Bearer abc.def)'),
      nested: { firstNames: ['Marie'], count: 3 },
      note: 'Mme DUPONT Marie',
    });
    for (const secret of ['DUPONT', '295109912611193', '1234', 'eyJ', 'Marie', '126 111', 'abc.def']) expect(line).not.toContain(secret);
    expect(line).toContain('"count":3');
    expect(line).toContain('relais://patient/open/?[masqué]');
  });

  it('scrubs free text too', () => {
    expect(scrubText('code PIN: 4321 refusé')).not.toContain('4321');
    expect(scrubText('mail jean.dupont@example.fr')).toBe('mail [courriel]');
    expect(redactFields({ holderName: 'Hélène DUFAU', attempts: 2 })).toEqual({ holderName: '[masqué]', attempts: 2 });
  });
});

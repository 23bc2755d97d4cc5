/**
 * The `relais` command as shipped: bin/relais.mjs over the esbuild bundles (scripts/build-cli.ts),
 * not the TypeScript sources. With no instance running, the full bundle loads (local checks) —
 * it once died there on « Dynamic require of "fs" » (an ES module bundle has no `require`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const VALID =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';
let dataDir: string;

function relais(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'relais.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, RELAIS_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  const build = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build:cli failed: ${build.stderr}`);
  dataDir = mkdtempSync(join(tmpdir(), 'relais-cli-bundle-'));
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the built relais command, no instance running', () => {
  it('a valid launch says in French that Relais is not started (exit 1), no stack trace', () => {
    const r = relais('launch', VALID);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("Relais n'est pas démarré sur ce poste");
    expect(r.out).not.toMatch(/Dynamic require|at file:|Error:/);
  });

  it('a launch missing traits is refused by the local checks with the field named (exit 2)', () => {
    const r = relais('launch', 'relais://patient/open?ins=1');
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('TRAITS_MISSING');
    expect(r.out).toContain("Des traits d'identité manquent");
  });
});

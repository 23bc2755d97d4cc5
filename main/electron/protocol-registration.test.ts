import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

/**
 * relais:// must reach Relais as `Relais.exe -- "%1"` on every registration path, so that nothing
 * in a crafted URL is taken as a Chromium switch (argv.ts then reads the URL after -- only).
 */
describe('relais:// registration puts -- before the URL', () => {
  it('NSIS installer (Windows)', () => {
    const yml = read('electron-builder.yml');
    expect(yml).toMatch(/^ {2}include: installer\/installer\.nsh$/m);
    const nsh = read('installer/installer.nsh');
    expect(nsh).toContain(`WriteRegStr SHCTX "Software\\Classes\\relais\\shell\\open\\command" "" '"$appExe" -- "%1"'`);
    expect(nsh).not.toMatch(/"\$appExe" "%1"/);
  });

  it('Linux desktop entry', () => {
    expect(read('electron-builder.yml')).toMatch(/^ {2}executableArgs: \["--"\]$/m);
  });

  it('the app itself at start (and macOS open-url)', () => {
    const main = read('main/electron/main.ts');
    expect(main).toContain('app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR])');
    expect(main).toContain('app.isDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR])');
    expect(main).toContain('handleArgv([ARGV_TERMINATOR, url])');
    expect(main).not.toMatch(/setAsDefaultProtocolClient\(PROTOCOL\)/);
  });
});

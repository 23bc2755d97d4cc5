/**
 * Issue 16, item 0: the MSI must register relais:// (HKLM\Software\Classes\relais) as the NSIS
 * installer does (installer/installer.nsh). electron-builder's MSI template writes no protocol
 * key, so electron-builder.yml's `msiProjectCreated` hook adds it to the generated WiX project.
 * WiX (candle/light under wine) cannot run here, but the project can be generated: this runs
 * electron-builder's own MsiTarget.writeManifest over a stand-in app folder, hands the .wxs to the
 * hook exactly as electron-builder does (path from electron-builder.yml), and reads the result
 * with an XML parser.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface XmlElement {
  tagName: string;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  parentNode: XmlElement | null;
  childNodes: ArrayLike<XmlElement & { nodeType: number }>;
}
const { DOMParser } = require('@xmldom/xmldom') as { DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: XmlElement } } };

type Manifest = (appOutDir: string, arch: number, options: unknown) => Promise<string>;

/** electron-builder's MSI target with the msi options of electron-builder.yml and the app's identity. */
function msiProject(appOutDir: string): Promise<string> {
  require('app-builder-lib'); // its module graph is circular: load it whole before one target
  const MsiTarget = (require('app-builder-lib/out/targets/MsiTarget.js') as { default: new (p: unknown, out: string) => { options: unknown; writeManifest: Manifest } }).default;
  const { getEffectiveOptions } = require('app-builder-lib/out/options/CommonWindowsInstallerConfiguration.js') as { getEffectiveOptions: (o: unknown, p: unknown) => unknown };
  const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  expect(/^msi:\n {2}perMachine: true$/m.test(yml)).toBe(true);
  const packager = {
    platformSpecificBuildOptions: {},
    config: { msi: { perMachine: true } },
    appInfo: { productFilename: 'Relais', productName: 'Relais', sanitizedProductName: 'Relais', id: 'fr.relais.desktop', companyName: 'Relais', description: 'Relais', getVersionInWeirdWindowsForm: () => '0.1.0.0' },
    getIconPath: async () => null,
    compression: 'normal',
    fileAssociations: [],
  };
  const target = new MsiTarget(packager, join(appOutDir, '..', 'out'));
  return target.writeManifest(appOutDir, 1 /* x64 */, getEffectiveOptions(target.options, packager));
}

/** The hook electron-builder.yml names, loaded as electron-builder loads it (a module path, named export). */
function hook(): (projectFile: string) => Promise<void> {
  const path = /^msiProjectCreated: (\S+)$/m.exec(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))?.[1];
  expect(path).toBeDefined();
  return (require(resolve(ROOT, path!)) as { msiProjectCreated: (f: string) => Promise<void> }).msiProjectCreated;
}

let dir: string;
let original: string;
let hooked: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relais-msi-'));
  const app = join(dir, 'win-unpacked');
  mkdirSync(join(app, 'resources'), { recursive: true });
  for (const f of ['Relais.exe', 'ffmpeg.dll', join('resources', 'app.asar'), join('resources', 'app-update.yml')]) writeFileSync(join(app, f), '');
  original = await msiProject(app);
  const projectFile = join(dir, 'project.wxs');
  writeFileSync(projectFile, original);
  await hook()(projectFile);
  hooked = readFileSync(projectFile, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keyOf = (el: XmlElement): string => {
  const parts: string[] = [];
  for (let n: XmlElement | null = el; n && n.tagName === 'RegistryKey'; n = n.parentNode) parts.unshift(n.getAttribute('Key')!);
  return parts.join('\\');
};

describe('MSI project: relais:// protocol key', () => {
  it('electron-builder alone writes none (why the hook exists)', () => {
    expect(original).toContain('Id="mainExecutable"');
    expect(original).not.toMatch(/Classes\\relais/);
  });

  it('the hooked project writes HKLM\\Software\\Classes\\relais with URL Protocol and `"Relais.exe" -- "%1"`', () => {
    const doc = new DOMParser().parseFromString(hooked, 'text/xml').documentElement;
    const group = Array.from(doc.getElementsByTagName('ComponentGroup')).find((g) => g.getAttribute('Id') === 'ProductComponents')!;
    // Installed with the product: in the component group the product feature references.
    expect(Array.from(doc.getElementsByTagName('ComponentGroupRef')).map((r) => r.getAttribute('Id'))).toContain('ProductComponents');
    const component = Array.from(group.getElementsByTagName('Component')).find((c) => c.getAttribute('Id') === 'RelaisUrlProtocol')!;
    expect(component.getAttribute('Guid')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    const root = component.getElementsByTagName('RegistryKey')[0]!;
    expect({ root: root.getAttribute('Root'), key: root.getAttribute('Key'), removed: root.getAttribute('ForceDeleteOnUninstall') }).toEqual({ root: 'HKLM', key: 'Software\\Classes\\relais', removed: 'yes' });
    const values = Array.from(component.getElementsByTagName('RegistryValue')).map((v) => ({
      key: keyOf(v.parentNode!),
      name: v.getAttribute('Name') ?? '',
      value: v.getAttribute('Value'),
      keyPath: v.getAttribute('KeyPath') === 'yes',
    }));
    expect(values).toEqual([
      { key: 'Software\\Classes\\relais', name: '', value: 'URL:Relais', keyPath: true },
      { key: 'Software\\Classes\\relais', name: 'URL Protocol', value: '', keyPath: false },
      { key: 'Software\\Classes\\relais\\DefaultIcon', name: '', value: '"[#mainExecutable]",0', keyPath: false },
      // After --, nothing in the URL is taken as a Chromium switch (same command as installer.nsh).
      { key: 'Software\\Classes\\relais\\shell\\open\\command', name: '', value: '"[#mainExecutable]" -- "%1"', keyPath: false },
    ]);
    // The same command NSIS registers.
    expect(readFileSync(join(ROOT, 'installer', 'installer.nsh'), 'utf8')).toContain('"Software\\Classes\\relais\\shell\\open\\command" "" \'"$appExe" -- "%1"\'');
  });

  it('the rest of the project is untouched, and a second run adds nothing', async () => {
    expect(hooked.replace(/\s*<Component Id="RelaisUrlProtocol"[\s\S]*?<\/Component>\s*/, '')).toBe(original.replace(/\s*(<\/ComponentGroup>)/, '$1'));
    const again = join(dir, 'again.wxs');
    writeFileSync(again, hooked);
    await hook()(again);
    expect(readFileSync(again, 'utf8')).toBe(hooked);
  });
});

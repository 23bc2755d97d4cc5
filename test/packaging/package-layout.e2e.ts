import { extractFile, listPackage } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, Platform } from 'electron-builder';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/app-fixture';

/**
 * The package layout, built offline as CI can: electron-builder --dir on a stand-in Electron
 * distribution (the real binary cannot be downloaded here). Fuses need the real binary, so they
 * are checked in the configuration and flipped on a build machine.
 */
const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
// Loaded without its typings: they pull the DOM lib into the Node project (and retype fetch).
type Report = (message: string) => void;
const { DOMParser: XmlParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: { warning: Report; error: Report; fatalError: Report } }) => {
    parseFromString(text: string, type: string): { documentElement: { nodeName: string } | null };
  };
};
let out: string;
let fakeDist: string;
let files: string[];

beforeAll(async () => {
  for (const script of ['build:renderer', 'build:electron', 'build:launcher']) {
    expect(spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
  }
  fakeDist = mkdtempSync(join(tmpdir(), 'relais-electron-dist-'));
  for (const f of [
    'electron',
    'chrome_100_percent.pak',
    'resources.pak',
    'icudtl.dat',
    'v8_context_snapshot.bin',
    'LICENSE',
  ]) {
    writeFileSync(join(fakeDist, f), '');
  }
  // Stands in for the Electron binary (not downloadable here): records how relais-launch starts it.
  writeFileSync(join(fakeDist, 'electron'), '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$RELAIS_FAKE_ELECTRON_ARGV"\n');
  chmodSync(join(fakeDist, 'electron'), 0o755);
  mkdirSync(join(fakeDist, 'resources'));
  mkdirSync(join(fakeDist, 'locales'));
  out = mkdtempSync(join(tmpdir(), 'relais-package-'));
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir'),
    // Merged over electron-builder.yml; null, not absent, or the file's fuses come back.
    config: {
      electronFuses: null,
      electronDist: fakeDist,
      electronVersion: '41.7.1',
      directories: { output: out, buildResources: 'installer' },
    },
    publish: 'never',
  });
  files = listPackage(join(out, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false });
}, 240_000);

afterAll(() => {
  for (const dir of [out, fakeDist]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Electron package layout (electron-builder --dir, offline)', () => {
  it('ships the bundled main process, the sandboxed preload and the built renderer', () => {
    for (const f of [
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
      '/dist/renderer/index.html',
      '/package.json',
      '/installer/icons/tray.png',
    ]) {
      expect(files).toContain(f);
    }
  });

  it('leaves sources, tests, the sandbox and source maps out', () => {
    expect(files.filter((f) => /^\/(test|sandbox|main|renderer|contract|bench)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('has an Electron main bundle that loads (electron stubbed): no ESM-only construct left in the CJS bundle', () => {
    const stub = `
      const Module = require('node:module');
      const load = Module._load;
      const anything = () => new Proxy(function () {}, { get: () => anything(), apply: () => undefined });
      Module._load = function (request, ...rest) { return request === 'electron' ? anything() : load.call(this, request, ...rest); };
      require(process.argv[1]);
      console.log('loaded');`;
    const r = spawnSync(process.execPath, ['-e', stub, join(ROOT, 'dist', 'electron', 'main.cjs')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('loaded');
  });

  it('ships as node_modules only the native modules the main bundle leaves external', () => {
    const shipped = new Set(
      files.filter((f) => /^\/node_modules\/[^/]+\/package\.json$/.test(f)).map((f) => f.split('/')[2]),
    );
    for (const bundled of [
      'react',
      'react-dom',
      'zod',
      'axios',
      '@medplum',
      '@tanstack',
      'ws',
      'openid-client',
      'node-forge',
      'pdf-lib',
      'bwip-js',
      'follow-redirects',
      'jose',
    ])
      expect(shipped).not.toContain(bundled);
    expect(shipped).toContain('better-sqlite3');
  });

  it('ships relais-launch beside the app, which starts the app with the launch after -- when none runs', async () => {
    const launcher = join(out, 'linux-unpacked', 'relais-launch');
    expect(existsSync(launcher)).toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-package-data-'));
    const record = join(dataDir, 'argv.txt');
    const url = 'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';
    try {
      const r = spawnSync(launcher, ['launch', url], { env: { ...process.env, RELAIS_DATA_DIR: dataDir, RELAIS_FAKE_ELECTRON_ARGV: record }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('Relais démarre et ouvrira le patient.');
      await expect.poll(() => (existsSync(record) ? readFileSync(record, 'utf8') : ''), { timeout: 10_000 }).toBe(`--\n${url}\n`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps native modules unpacked next to the asar', () => {
    expect(existsSync(join(out, 'linux-unpacked', 'resources', 'app.asar.unpacked'))).toBe(true);
    expect(existsSync(join(out, 'linux-unpacked', 'relais'))).toBe(true);
  });

  it('declares the security fuses and the relais:// protocol', () => {
    const fuses = /^electronFuses:\n((?: {2}\w+: (?:true|false)\n)+)/m.exec(yml)?.[1] ?? '';
    expect(
      Object.fromEntries(
        fuses
          .trim()
          .split('\n')
          .map((l) => l.trim().split(': ')),
      ),
    ).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
    expect(yml).toMatch(/^protocols:\n {2}- name: Relais\n {4}schemes: \[relais\]$/m);
    expect(yml).toMatch(/^npmRebuild: false$/m);
  });

  it('packs electron-updater into the main bundle and writes app-update.yml from the publisher default', () => {
    const main = extractFile(join(out, 'linux-unpacked', 'resources', 'app.asar'), 'dist/electron/main.cjs').toString(
      'utf8',
    );
    // electron-updater's generic provider and its app-update.yml reader are in the bundle (loaded lazily).
    expect(main).toContain('GenericProvider');
    expect(main).toContain('app-update.yml');
    const appUpdate = readFileSync(join(out, 'linux-unpacked', 'resources', 'app-update.yml'), 'utf8');
    expect(appUpdate).toMatch(/^provider: generic$/m);
    const publisherUrl = /^publish:\n(?: {2}.*\n)*? {2}url: (\S+)$/m.exec(yml)?.[1];
    expect(publisherUrl).toBe('https://maj.relais-sante.fr/desktop/'); // PUBLISHER_UPDATE_URL of update-policy.ts
    expect(appUpdate).toContain(`url: ${publisherUrl}`);
    expect(appUpdate).toMatch(/^channel: latest$/m);
  });

  it('ships the ADMX/ADML template, well-formed XML', () => {
    for (const f of ['relais.admx', join('fr-FR', 'relais.adml')]) {
      const shipped = join(out, 'linux-unpacked', 'resources', 'policy', f);
      expect(existsSync(shipped), f).toBe(true);
      // @xmldom/xmldom (already installed with electron-builder's plist): every warning, error
      // or fatal error of the parse fails the check.
      const problems: string[] = [];
      const doc = new XmlParser({
        errorHandler: {
          warning: (m) => problems.push(m),
          error: (m) => problems.push(m),
          fatalError: (m) => problems.push(m),
        },
      }).parseFromString(readFileSync(shipped, 'utf8'), 'text/xml');
      expect(problems, f).toEqual([]);
      const roots = [doc.documentElement?.nodeName];
      expect(roots[0]).toBe(f.endsWith('.admx') ? 'policyDefinitions' : 'policyDefinitionResources');
    }
  });
});

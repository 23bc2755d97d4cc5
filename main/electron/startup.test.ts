import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { ABI_MESSAGE_FR, abiMismatch, isTransient, proxyUrlFromPac, retryDelayMs, startFailureMessage } from './startup';

const ROOT = join(import.meta.dirname, '..', '..');

describe('shell start-up decisions', () => {
  it('retries the platform with a growing, capped delay', () => {
    expect([0, 1, 2, 3, 10].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 120_000]);
    expect(isTransient(new RelaisError('PLATFORM_UNREACHABLE', 'down'))).toBe(true);
    expect(isTransient(new RelaisError('FORBIDDEN', 'no'))).toBe(false);
  });

  it('names a native module built for another ABI plainly, not as a platform problem', () => {
    const error = new Error(
      "The module '/opt/Relais/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 145. Please try re-compiling or re-installing",
    );
    expect(abiMismatch(error)).toEqual({ built: '115', needed: '145' });
    expect(startFailureMessage(error)).toBe(ABI_MESSAGE_FR);
    expect(startFailureMessage(error)).not.toMatch(/plateforme de coordination est injoignable/);
    expect(startFailureMessage(new RelaisError('PLATFORM_UNREACHABLE', 'x'))).toMatch(/injoignable/);
    expect(abiMismatch(new Error('ENOENT'))).toBeNull();
  });

  it('reads Chromium proxy answers', () => {
    expect(proxyUrlFromPac('PROXY proxy.cabinet:3128; DIRECT')).toBe('http://proxy.cabinet:3128');
    expect(proxyUrlFromPac('HTTPS secure.proxy:443')).toBe('https://secure.proxy:443');
    expect(proxyUrlFromPac('DIRECT')).toBeNull();
  });

  it('reports the ABI of Electron against the native modules installed here (reported, not failing: no rebuild offline)', () => {
    const electronAbi = readFileSync(join(ROOT, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
    expect(electronAbi).toMatch(/^\d+$/);
    const require = createRequire(import.meta.url);
    const report: string[] = [];
    for (const name of ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'pkcs11js', 'keytar']) {
      let built: string;
      try {
        require(name);
        built = process.versions.modules; // it loads in this Node: built for Node's ABI
      } catch (error) {
        built = abiMismatch(error)?.built ?? `not loadable (${String((error as Error).message).split('\n')[0]})`;
      }
      report.push(`${name}: built for ABI ${built}, Electron needs ${electronAbi}${built === electronAbi ? ' ✓' : ' ✗ (rebuild for Electron on the build machine: electron-builder install-app-deps)'}`);
    }
    console.log(`[abi] Node ${process.versions.modules}, Electron ${electronAbi}\n  ${report.join('\n  ')}`);
    expect(report).toHaveLength(4);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/app-fixture';

/**
 * The built preload as a SANDBOXED renderer runs it (Electron's sandboxed_renderer wraps the
 * file in `(function (require, process, exports, module, Buffer, global, setImmediate,
 * clearImmediate) { … })`): no __filename, no __dirname, no Node built-ins, a `require` that
 * knows only a few modules, a reduced `process`. A preload bundled with main's banner
 * (`require('node:url').pathToFileURL(__filename)`) throws on line 1 here, as it did in Electron.
 */
const ALLOWED = new Set(['electron', 'events', 'timers', 'url']);

interface Bridge {
  invoke(method: string, payload: unknown): Promise<unknown>;
  onEvent(cb: (e: unknown) => void): () => void;
  mediaUrl(src: string): string;
}

function runSandboxed(source: string) {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true }),
      on: (ch: string, fn: (...a: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? new Set()).add(fn)),
      removeListener: (ch: string, fn: (...a: unknown[]) => void) => listeners.get(ch)?.delete(fn),
    },
  };
  const requireSandboxed = (name: string) => {
    if (!ALLOWED.has(name)) throw new Error(`module not found: ${name} (sandboxed preload)`);
    if (name === 'electron') return electron;
    throw new Error(`not provided in this test: ${name}`);
  };
  const process = { platform: 'linux', arch: 'x64', env: {}, argv: [], pid: 1, type: 'renderer', sandboxed: true, contextIsolated: true };
  const context = { console, URL, encodeURIComponent, Promise, Error };
  const wrapper = runInNewContext(`(function (require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {\n${source}\n})`, context) as (...a: unknown[]) => void;
  const module = { exports: {} };
  wrapper(requireSandboxed, process, module.exports, module, undefined, context, undefined, undefined);
  return { exposed, invoked, listeners };
}

let preload: string;
beforeAll(() => {
  expect(spawnSync('npm', ['run', '--silent', 'build:electron'], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
  preload = readFileSync(join(ROOT, 'dist', 'electron', 'preload.cjs'), 'utf8');
}, 120_000);

describe('dist/electron/preload.cjs in a sandboxed preload context', () => {
  it('has no banner: neither __filename, __dirname nor a Node built-in', () => {
    expect(preload).not.toMatch(/__filename|__dirname|require\(["']node:/);
  });

  it('runs and exposes window.relais = { invoke, onEvent, mediaUrl }', async () => {
    const { exposed, invoked, listeners } = runSandboxed(preload);
    const relais = exposed.relais as Bridge;
    expect(Object.keys(relais).sort()).toEqual(['invoke', 'mediaUrl', 'onEvent']);
    await relais.invoke('auth.status', {});
    expect(invoked).toEqual([['relais:invoke', 'auth.status', {}]]);
    const heard: unknown[] = [];
    const off = relais.onEvent((e) => heard.push(e));
    for (const fn of listeners.get('relais:event') ?? []) fn({}, { type: 'session-unlocked' });
    off();
    expect(heard).toEqual([{ type: 'session-unlocked' }]);
    expect(listeners.get('relais:event')?.size).toBe(0);
    expect(relais.mediaUrl('https://p.example/fhir/Binary/1')).toBe('relais-media://attachment/?src=https%3A%2F%2Fp.example%2Ffhir%2FBinary%2F1');
  });

  it('the sandbox would catch main banner in a preload (the bug of issue 16)', () => {
    const banner = "const __relaisImportMetaUrl = require('node:url').pathToFileURL(__filename).href;\n";
    expect(() => runSandboxed(banner + preload)).toThrow(/node:url|__filename/);
  });
});

/** Bundles the Electron main process and preload into CommonJS files under dist/electron. */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const base = {
  bundle: true,
  format: 'cjs' as const,
  sourcemap: true,
  logLevel: 'warning' as const,
};

/**
 * Each output (bundle and source map) written beside, then renamed over the old one: several test
 * files build these bundles while others load them, and a half-written bundle fails to load.
 */
async function bundle(options: BuildOptions): Promise<void> {
  const { outputFiles } = await build({ ...options, write: false });
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

await bundle({
  ...base,
  platform: 'node',
  target: 'node20',
  external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'pkcs11js', 'keytar'],
  // Core modules written as ESM use import.meta.url (createRequire for native modules); in the
  // CommonJS bundle it becomes the bundle's own file URL. Main only: a sandboxed preload has no
  // __filename, so this banner must never reach it (issue 16, item 0).
  define: { 'import.meta.url': '__relaisImportMetaUrl' },
  banner: { js: "const __relaisImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  entryPoints: [join(root, 'main/electron/main.ts')],
  outfile: join(root, 'dist/electron/main.cjs'),
});
// A sandboxed preload cannot require local files nor Node built-ins: one self-contained script
// for a browser-like context whose only `require` is Electron's polyfill ('electron', 'events'…).
await bundle({
  ...base,
  platform: 'browser',
  target: 'chrome130',
  external: ['electron'],
  entryPoints: [join(root, 'preload/main.ts')],
  outfile: join(root, 'dist/electron/preload.cjs'),
});
console.log('dist/electron/main.cjs, dist/electron/preload.cjs');

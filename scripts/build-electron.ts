/** Bundles the Electron main process and preload into CommonJS files under dist/electron. */
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'cjs' as const,
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'pkcs11js', 'keytar'],
  logLevel: 'warning' as const,
  // Core modules written as ESM use import.meta.url (createRequire for native modules); in the
  // CommonJS bundle it becomes the bundle's own file URL.
  define: { 'import.meta.url': '__relaisImportMetaUrl' },
  banner: { js: "const __relaisImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({ ...common, entryPoints: [join(root, 'main/electron/main.ts')], outfile: join(root, 'dist/electron/main.cjs') });
// A sandboxed preload cannot require local files: it must be one self-contained script.
await build({ ...common, entryPoints: [join(root, 'preload/main.ts')], outfile: join(root, 'dist/electron/preload.cjs') });
console.log('dist/electron/main.cjs, dist/electron/preload.cjs');

/** Bundles `relais launch` into dist/cli.mjs: bin/relais.mjs prefers it, saving tsx's start-up. */
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
await build({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  entryPoints: [join(root, 'main/cli/relais-cli.ts')],
  outfile: join(root, 'dist/cli.mjs'),
  logLevel: 'warning',
});
console.log('dist/cli.mjs');

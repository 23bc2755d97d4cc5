/**
 * Bundles `relais launch`: dist/cli-fast.mjs (forwarding to a running instance, no zod: what a
 * launch from the practice software runs, issue 17) and dist/cli.mjs (the full CLI with local
 * validation, run when no instance answers). bin/relais.mjs prefers them to tsx's start-up.
 */
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', minify: true } as const;
await Promise.all([
  // The full CLI bundles CommonJS dependencies that `require('fs')`: an ES module has no
  // `require`, so the bundle makes one (without it the CLI died when no instance answered).
  build({
    ...common,
    entryPoints: [join(root, 'main/cli/relais-cli.ts')],
    outfile: join(root, 'dist/cli.mjs'),
    banner: { js: "import { createRequire as __relaisCreateRequire } from 'node:module'; const require = __relaisCreateRequire(import.meta.url);" },
  }),
  build({ ...common, entryPoints: [join(root, 'main/cli/forward.ts')], outfile: join(root, 'dist/cli-fast.mjs') }),
]);
console.log('dist/cli.mjs dist/cli-fast.mjs');

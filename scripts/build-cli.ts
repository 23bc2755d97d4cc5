/**
 * Bundles `relais launch`: dist/cli-fast.mjs (forwarding to a running instance, no zod: what a
 * launch from the practice software runs, issue 17) and dist/cli.mjs (the full CLI with local
 * validation, run when no instance answers). bin/relais.mjs prefers them to tsx's start-up.
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', minify: true } as const;
/**
 * Written beside, then renamed over the old file: several test files build the CLI while others
 * run `relais launch`, and a command started mid-write would load half a bundle.
 */
async function bundle(options: BuildOptions & { outfile: string }): Promise<void> {
  const { outputFiles } = await build({ ...options, write: false });
  mkdirSync(dirname(options.outfile), { recursive: true });
  const temporary = `${options.outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, outputFiles[0]!.contents);
  renameSync(temporary, options.outfile);
}

await Promise.all([
  // The full CLI bundles CommonJS dependencies that `require('fs')`: an ES module has no
  // `require`, so the bundle makes one (without it the CLI died when no instance answered).
  bundle({
    ...common,
    entryPoints: [join(root, 'main/cli/relais-cli.ts')],
    outfile: join(root, 'dist/cli.mjs'),
    banner: { js: "import { createRequire as __relaisCreateRequire } from 'node:module'; const require = __relaisCreateRequire(import.meta.url);" },
  }),
  bundle({ ...common, entryPoints: [join(root, 'main/cli/forward.ts')], outfile: join(root, 'dist/cli-fast.mjs') }),
]);
console.log('dist/cli.mjs dist/cli-fast.mjs');

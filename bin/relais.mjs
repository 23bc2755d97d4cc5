#!/usr/bin/env node
// Runs the TypeScript CLI through tsx in a source checkout; a packaged build ships dist/cli.mjs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli.mjs');
let runCli;
if (existsSync(built)) {
  ({ runCli } = await import(pathToFileURL(built).href));
} else {
  const { tsImport } = await import('tsx/esm/api');
  ({ runCli } = await tsImport(pathToFileURL(join(root, 'main', 'cli', 'relais-cli.ts')).href, import.meta.url));
}
const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;

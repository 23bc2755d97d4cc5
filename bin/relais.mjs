#!/usr/bin/env node
// `relais launch …`. A running instance is reached through the small forwarding bundle
// (dist/cli-fast.mjs, no zod); only when none answers does the full CLI load (local checks).
// In a source checkout without a build, tsx runs the TypeScript.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
const argv = process.argv.slice(2);
const fast = join(root, 'dist', 'cli-fast.mjs');
let code = null;
if (existsSync(fast)) {
  const { forwardLaunch, defaultForwardDataDir } = await import(pathToFileURL(fast).href);
  code = await forwardLaunch(argv, io, defaultForwardDataDir());
}
if (code === null) {
  const built = join(root, 'dist', 'cli.mjs');
  let runCli;
  if (existsSync(built)) {
    ({ runCli } = await import(pathToFileURL(built).href));
  } else {
    const { tsImport } = await import('tsx/esm/api');
    ({ runCli } = await tsImport(pathToFileURL(join(root, 'main', 'cli', 'relais-cli.ts')).href, import.meta.url));
  }
  code = await runCli(argv, io);
}
process.exitCode = code;

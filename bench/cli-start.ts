/**
 * `relais launch` process start → the running instance's answer (exit), fast forwarding bundle
 * against the full CLI, in the same run (issue 17 item 5). The instance is a control endpoint
 * whose core answers at once, so the rows hold the CLI's own cost: Node start, module loading,
 * one loopback round trip. `npx tsx bench/cli-start.ts` (after `npm run build:cli`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelaisCore } from '../main/core';
import { startControlServer } from '../main/instance/control-server';
import { writeInstanceFile } from '../main/instance/instance-file';
import { buildLauncher, writeLauncherData } from '../scripts/build-launcher';
import { summarise, type BenchResult } from './harness';

const ROOT = join(import.meta.dirname, '..');
const URL_OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';

export async function benchCliStart(n = 15): Promise<BenchResult[]> {
  const core = { openPatient: async () => ({ patient: { id: 'p1' }, cached: true }), launchRejected: () => undefined } as unknown as RelaisCore;
  const server = await startControlServer(core);
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-cli-'));
  writeInstanceFile(dir, { pid: process.pid, host: 'web', controlUrl: server.url, token: server.token });
  // The full CLI alone: what `relais launch` loaded before issue 17.
  const full = `import(${JSON.stringify(join(ROOT, 'dist', 'cli.mjs'))}).then(async ({ runCli }) => { process.exitCode = await runCli(process.argv.slice(1), { out() {}, err() {} }); })`;
  // Asynchronous spawn: the control endpoint answering the child lives in this process.
  writeLauncherData();
  const launcher = buildLauncher();
  const once = (args: string[], program = process.execPath) =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(program, args, { env: { ...process.env, RELAIS_DATA_DIR: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`relais launch exited ${code}: ${err.slice(0, 400)}`))));
    });
  const run = async (args: string[], program?: string) => {
    const samples: number[] = [];
    for (let i = 0; i < n + 2; i++) {
      const t0 = performance.now();
      await once(args, program);
      if (i >= 2) samples.push(performance.now() - t0);
    }
    return samples;
  };
  try {
    const bare = await run(['-e', '0']);
    const fast = await run([join(ROOT, 'bin', 'relais.mjs'), 'launch', URL_OK]);
    const before = await run(['--input-type=module', '-e', full, 'launch', URL_OK]);
    const native = await run(['launch', URL_OK], launcher);
    return [
      summarise('node-start-bare', bare, { note: 'baseline: `node -e 0`' }),
      summarise('cli-forward-fast', fast, { baseline: 'node-start-bare', note: 'bin/relais.mjs → dist/cli-fast.mjs, process start to exit' }),
      summarise('cli-forward-full-before', before, { baseline: 'cli-forward-fast', note: 'the full CLI bundle (zod, fetch), as before issue 17' }),
      summarise('cli-forward-native', native, { baseline: 'node-start-bare', note: 'native relais-launch (native-launcher/, Go), process start to exit' }),
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  const { withRatios, writeResults } = await import('./harness');
  writeResults(join(tmpdir(), 'relais-cli-start.json'), withRatios(await benchCliStart()));
}

/**
 * Builds the native `relais-launch` (native-launcher/, Go standard library only): the practice
 * software's fast way into a running Relais (issue 17, item 5; docs/performance.md).
 *   npx tsx scripts/build-launcher.ts          this machine's OS and architecture
 *   npx tsx scripts/build-launcher.ts --all    every installer's (cross-compiled, nothing to download)
 * Writes dist/launcher/<os>-<arch>/relais-launch[.exe], named as electron-builder's ${os}-${arch}
 * so electron-builder.yml copies the right one beside the app. Go was picked over C or Rust for
 * its standard HTTP client and JSON, and because it cross-compiles for Windows and macOS from
 * the Linux build machine with no other toolchain.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_TEXT_FR } from '../contract/i18n/cli.fr';
import { ERROR_MESSAGES_FR } from '../contract/i18n/errors.fr';
import { HELD_LAUNCH_CODES, INVALID_LAUNCH_CODES } from '../main/cli/forward';
import { RAW_LAUNCH_FIELDS } from '../main/launch/context';

const root = join(import.meta.dirname, '..');
const source = join(root, 'native-launcher');

export interface LauncherTarget {
  goos: 'linux' | 'windows' | 'darwin';
  goarch: 'amd64' | 'arm64';
}

const BUILDER_OS = { linux: 'linux', windows: 'win', darwin: 'mac' } as const;
const BUILDER_ARCH = { amd64: 'x64', arm64: 'arm64' } as const;
export const ALL_TARGETS: readonly LauncherTarget[] = [
  { goos: 'windows', goarch: 'amd64' },
  { goos: 'darwin', goarch: 'arm64' },
  { goos: 'darwin', goarch: 'amd64' },
  { goos: 'linux', goarch: 'amd64' },
];

export function hostTarget(): LauncherTarget {
  const goos = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'darwin' : 'linux';
  return { goos, goarch: process.arch === 'arm64' ? 'arm64' : 'amd64' };
}

export function launcherPath(t: LauncherTarget = hostTarget()): string {
  return join(root, 'dist', 'launcher', `${BUILDER_OS[t.goos]}-${BUILDER_ARCH[t.goarch]}`, t.goos === 'windows' ? 'relais-launch.exe' : 'relais-launch');
}

/** The strings and codes the launcher embeds: the same catalogue as the Node command. */
export function writeLauncherData(): void {
  const data = {
    text: CLI_TEXT_FR,
    errors: ERROR_MESSAGES_FR,
    launchFields: RAW_LAUNCH_FIELDS,
    invalidLaunch: INVALID_LAUNCH_CODES,
    heldLaunch: HELD_LAUNCH_CODES,
  };
  const path = join(source, 'launcher-data.json');
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(temporary, path);
}

function go(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync('go', args, { cwd: source, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0', ...env } });
  if (r.error) throw new Error(`go is not installed (apt-get install golang-go): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed:\n${r.stderr}`);
}

/** Built beside, then renamed over: tests build it while others run it. */
export function buildLauncher(t: LauncherTarget = hostTarget()): string {
  const out = launcherPath(t);
  mkdirSync(join(out, '..'), { recursive: true });
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    // Windows: a GUI-subsystem program, or every click in the practice software would flash a
    // console window. Its output still reaches a caller that pipes it (the handles are inherited).
    const ldflags = t.goos === 'windows' ? '-s -w -H windowsgui' : '-s -w';
    go(['build', '-trimpath', `-ldflags=${ldflags}`, '-o', temporary, '.'], { GOOS: t.goos, GOARCH: t.goarch });
    renameSync(temporary, out);
  } finally {
    rmSync(temporary, { force: true });
  }
  return out;
}

if (import.meta.filename === process.argv[1]) {
  writeLauncherData();
  const targets = process.argv.includes('--all') ? ALL_TARGETS : [hostTarget()];
  for (const t of targets) console.log(buildLauncher(t));
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * keytar for real, against gnome-keyring on a private D-Bus session bus: the probe runs in a child
 * under `dbus-run-session`, after `gnome-keyring-daemon --unlock` (password on stdin). CI installs
 * libsecret-1-dev, gnome-keyring and dbus-x11 (.ci/run). Skipped only off Linux; on Linux a missing
 * tool or a keyring that does not start fails with the reason.
 */
const root = join(import.meta.dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'relais-keyring-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

describe.skipIf(process.platform !== 'linux')('KeytarSecretStore against gnome-keyring (Linux)', () => {
  it('sets, gets and deletes secrets under service Relais, and keeps a profile store key', () => {
    const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !which(c));
    if (missing.length > 0) {
      throw new Error(`keychain test needs ${missing.join(', ')}: apt-get install gnome-keyring dbus-x11 libsecret-1-dev (see .ci/run)`);
    }
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const probe = join(root, 'test', 'integration', 'keychain-probe.ts');
    // A fresh HOME: the login keyring is created (and unlocked) with this password, nothing of the user's is touched.
    const script = [
      `printf '%s' relais-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$HOME/keyring.err" || { echo "gnome-keyring-daemon failed: $(cat "$HOME/keyring.err")"; exit 97; }`,
      `exec "$0" "$1" "$2"`,
    ].join('\n');
    const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, tsx, probe, 'Relais'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_RUNTIME_DIR: home, LANG: 'C.UTF-8' },
    });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    type Report = { ok: boolean; error?: string; steps: Record<string, unknown> };
    let report: Report | null = null;
    try {
      report = JSON.parse(line) as Report;
    } catch {
      // reported below with stderr
    }
    if (!report) {
      throw new Error(
        `the keyring could not be started or the probe crashed (exit ${result.status}, signal ${result.signal}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    expect(report.error).toBeUndefined();
    expect(report.steps).toMatchObject({
      initial: null,
      afterSet: 's3cret-é',
      deleted: true,
      afterDelete: null,
      deletedAgain: false,
      storeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      reopened: ['probe'],
    });
    expect(report.ok).toBe(true);
  });
});

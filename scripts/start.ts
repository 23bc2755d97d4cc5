/**
 * `npm start`: the embedded sandbox platform + Relais as the demo GP.
 * Electron when its binary is present; otherwise the web host, for Debian's Chromium.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GP_RPPS } from '../main/config/demo-identity';
import { DEFAULT_SANDBOX_PORT } from '../main/config/defaults';
import { defaultDataDir } from '../main/instance/instance-file';
import { runWebHost } from '../main/web/run-web-host';
import { openCardReader } from '../native-bridges/card/index';
import { KeytarSecretStore } from '../native-bridges/secrets/keytar';
import { startSandbox } from '../sandbox/server';
import { findElectronBinary } from './electron-binary';

const root = join(import.meta.dirname, '..');
const sandboxPort = Number(process.env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT);
const appPort = Number(process.env.PORT ?? 8790);
const dataDir = defaultDataDir();

function npmRun(script: string): void {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run ${script} failed`);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: sandboxPort, seed: Number(process.env.SANDBOX_SEED ?? 1) });
  console.log(`SANDBOX_URL=${sandbox.url}`);
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html')) || process.env.RELAIS_REBUILD === '1') {
    npmRun('build:renderer');
  }
  const electron = findElectronBinary();
  if ('path' in electron) {
    npmRun('build:electron');
    const child = spawn(electron.path, [root, ...process.argv.slice(2)], {
      stdio: 'inherit',
      // The demo is opt-in in the shell: npm start asks for it explicitly, with the sandbox's URL.
      env: { ...process.env, RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1' },
    });
    child.on('exit', async (code) => {
      await sandbox.close();
      process.exit(code ?? 0);
    });
    return;
  }
  console.log(`Electron indisponible (${electron.reason}) : Relais démarre en hôte web, à ouvrir dans Chromium.`);
  // A card middleware (Cryptolib CPS, or RELAIS_PKCS11_LIB) with a card in the reader: the window
  // asks for its PIN. Otherwise the demo identity opens at once, and the console says so.
  const cardReader = await openCardReader().catch(() => null);
  // Each professional's store is SQLCipher-encrypted with a key in the OS keychain when there is
  // one (keytar: Secret Service, Keychain, Credential Vault). Without one only the demo identity
  // opens a plain store; a card or PSC sign-in is refused unless settings.json allows it (docs/secrets.md).
  const secretStore = await usableKeychain();
  if (!secretStore) {
    console.log(
      'Trousseau du système indisponible : seule l’identité de démonstration ouvre une base locale non chiffrée ; une connexion par carte ou Pro Santé Connect sera refusée.',
    );
  }
  const host = await runWebHost({
    platformUrl: sandbox.url,
    dataDir,
    rpps: DEMO_GP_RPPS,
    demo: true,
    port: appPort,
    cardReader,
    ...(secretStore ? { secretStore, encrypt: true } : {}),
  });
  const auth = host.session.status();
  if (auth.method === 'demo') {
    const pro = auth.professional;
    console.log(
      `Aucune carte CPS ${cardReader ? 'dans le lecteur' : 'détectée (pas de lecteur configuré)'} : identité de démonstration, ${pro?.givenName} ${pro?.familyName} (${pro?.roleLabel}), sur la plateforme de démonstration.`,
    );
  } else {
    console.log(`Carte ${auth.card?.holder?.kind ?? 'CPS'} détectée : saisissez le code PIN dans la fenêtre de Relais.`);
  }
  console.log(`RELAIS_URL=${host.web.url}`);
  const stop = async () => {
    await host.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The OS keychain if it answers within 3 s (a locked or absent keyring must not block the start). */
async function usableKeychain(): Promise<KeytarSecretStore | null> {
  const store = new KeytarSecretStore();
  const probe = store.get('probe:relais-start').then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000).unref());
  return (await Promise.race([probe, timeout])) ? store : null;
}

main().catch((error: unknown) => {
  console.error(`Relais n'a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

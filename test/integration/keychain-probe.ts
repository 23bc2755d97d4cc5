/**
 * Run by test/integration/keychain.test.ts inside `dbus-run-session` with an unlocked
 * gnome-keyring: exercises the real keytar SecretStore and the encrypted profile on top of it.
 * Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeytarSecretStore } from '../../native-bridges/secrets/keytar';
import { Profiles, storeKeyAccount } from '../../main/profiles/profiles';

const service = process.argv[2] ?? 'Relais';
const store = new KeytarSecretStore(service);
const steps: Record<string, unknown> = {};
const dataDir = mkdtempSync(join(tmpdir(), 'relais-keychain-'));
try {
  steps.initial = await store.get('probe');
  await store.set('probe', 's3cret-é');
  steps.afterSet = await store.get('probe');
  steps.deleted = await store.delete('probe');
  steps.afterDelete = await store.get('probe');
  steps.deletedAgain = await store.delete('probe');
  const profiles = new Profiles({ dataDir, secretStore: store });
  const s = await profiles.open('99700001011');
  s.audit('99700001011', 'probe', null);
  s.close();
  steps.storeKey = await store.get(storeKeyAccount('99700001011'));
  const again = await profiles.open('99700001011');
  steps.reopened = again.auditTrail().map((r) => r.action);
  again.close();
  await profiles.forgetKey('99700001011');
  console.log(JSON.stringify({ ok: true, steps }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error), steps }));
  process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

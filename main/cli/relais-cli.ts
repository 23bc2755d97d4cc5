import { ERROR_MESSAGES_FR, RelaisError, type RelaisErrorShape } from '../../contract';
import { launchFromArgv } from '../launch/argv';
import { defaultDataDir, readInstanceFile } from '../instance/instance-file';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage :
  relais launch "relais://patient/open?ins=…&oid=…&birthName=…&firstNames=…&birthDate=AAAA-MM-JJ&sex=F|M|U&birthPlace=…"
  relais launch --ins … --oid … --birth-name … --first-names … --birth-date … --sex … [--birth-place …]`;

function explain(error: RelaisErrorShape): string {
  const field = error.field ? ` (champ : ${error.field})` : '';
  return `Erreur ${error.code}${field} : ${ERROR_MESSAGES_FR[error.code]}`;
}

/**
 * `relais launch …`: validates the launch here (so an invalid one is explained without a running
 * app), then forwards it to the running instance of either host through its control endpoint.
 * Exit codes: 0 opened, 1 no running instance or refused by it, 2 invalid launch or usage.
 */
export async function runCli(argv: readonly string[], io: CliIo, dataDir = defaultDataDir()): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'launch' || rest.length === 0) {
    io.err(USAGE);
    return 2;
  }
  try {
    if (launchFromArgv(rest).kind === 'none') {
      io.err(USAGE);
      return 2;
    }
  } catch (error) {
    if (error instanceof RelaisError) {
      io.err(explain(error.toShape()));
      return 2;
    }
    throw error;
  }
  const instance = readInstanceFile(dataDir);
  if (!instance) {
    io.err("Relais n'est pas démarré sur ce poste : lancez-le puis recommencez.");
    return 1;
  }
  let response: Response;
  try {
    response = await fetch(`${instance.controlUrl}/launch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${instance.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: rest }),
    });
  } catch {
    io.err("Relais ne répond pas (il a peut-être été fermé) : relancez-le puis recommencez.");
    return 1;
  }
  const body = (await response.json().catch(() => null)) as
    | { ok: true; value: { opened: boolean; patientId?: string } }
    | { ok: false; error: RelaisErrorShape }
    | null;
  if (body?.ok) {
    io.out(`Patient ouvert dans Relais (${instance.host}).`);
    return 0;
  }
  io.err(body ? explain(body.error) : `Relais a refusé l'ouverture (HTTP ${response.status}).`);
  return 1;
}

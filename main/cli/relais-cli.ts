import { ERROR_MESSAGES_FR, RelaisError, type RelaisErrorShape } from '../../contract';
import { cliLaunchArgv, launchFromArgv } from '../launch/argv';
import { defaultDataDir, readInstanceFile } from '../instance/instance-file';
import { runBdpmImport } from '../drugs/cli';
import { CLI_TEXT_FR, cliText } from '../../contract/i18n/cli.fr';
import { exitCodeOf, FORWARD_USAGE } from './forward';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = FORWARD_USAGE;

function explain(error: RelaisErrorShape): string {
  const field = error.field ? cliText(CLI_TEXT_FR.field, { field: error.field }) : '';
  return cliText(CLI_TEXT_FR.errorLine, { code: error.code, field, message: ERROR_MESSAGES_FR[error.code] });
}


/**
 * `relais launch …`: forwards the launch to the running instance of either host through its
 * control endpoint, even an invalid one, so the window in front of the professional says what
 * is wrong; the same French message is printed here. Without a running instance the launch is
 * still checked, so an LGC integrator sees errors at once.
 * Exit codes: 0 opened, 2 invalid launch, 3 held in the window (identity confirmation or choice),
 * 1 anything else (not running, not answering, refused).
 */
export async function runCli(argv: readonly string[], io: CliIo, dataDir = defaultDataDir()): Promise<number> {
  const [command, ...given] = argv;
  if (command === 'bdpm') return runBdpmImport(given, io, dataDir, USAGE);
  const rest = cliLaunchArgv(given); // a URL goes after -- (argv.ts)
  if (command !== 'launch' || rest.length === 0) {
    io.err(USAGE);
    return 2;
  }
  let localError: RelaisErrorShape | null = null;
  try {
    if (launchFromArgv(rest).kind === 'none') {
      io.err(USAGE);
      return 2;
    }
  } catch (error) {
    if (!(error instanceof RelaisError)) throw error;
    localError = error.toShape();
  }
  const instance = readInstanceFile(dataDir);
  if (!instance) {
    if (localError) {
      io.err(explain(localError));
      return 2;
    }
    io.err(CLI_TEXT_FR.notStarted);
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
    if (localError) {
      io.err(explain(localError));
      return 2;
    }
    io.err(CLI_TEXT_FR.notAnswering);
    return 1;
  }
  const body = (await response.json().catch(() => null)) as
    | { ok: true; value: { opened: boolean; patientId?: string } }
    | { ok: false; error: RelaisErrorShape }
    | null;
  if (body?.ok) {
    io.out(cliText(CLI_TEXT_FR.opened, { host: instance.host }));
    return 0;
  }
  if (!body) {
    io.err(cliText(CLI_TEXT_FR.refused, { status: response.status }));
    return 1;
  }
  io.err(explain(body.error));
  return exitCodeOf(body.error.code);
}

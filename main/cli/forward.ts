/**
 * The fast path of `relais launch` (issue 17): when Relais is running, the launch is forwarded
 * as is and the running instance validates it (it shows any error in the window and answers it).
 * This module imports no zod and no contract schemas (the full CLI bundle is ~800 KB, ~750 KB
 * of it zod), and uses node:http rather than fetch (undici loads on first use, tens of ms), so a
 * process start costs little more than Node's own start. When nothing answers it returns null
 * and bin/relais.mjs runs the full CLI (relais-cli.ts), which checks the launch locally.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ERROR_MESSAGES_FR } from '../../contract/i18n/errors.fr';
import { CLI_TEXT_FR, cliText } from '../../contract/i18n/cli.fr';
import type { ErrorCode } from '../../contract/errors';
import { loopbackControlUrl } from '../instance/control-url';

export interface ForwardIo {
  out(line: string): void;
  err(line: string): void;
}

// The one usage text: relais-cli.ts prints it too (a test keeps both paths' output equal).
export const FORWARD_USAGE = CLI_TEXT_FR.usage;

/** Exit 2: the launch itself is wrong (the LGC's integrator has something to fix). */
export const INVALID_LAUNCH_CODES: readonly string[] = ['INVALID_INPUT', 'LAUNCH_URL_MALFORMED', 'INS_INVALID', 'INS_OID_UNKNOWN', 'TRAITS_MISSING'];
/** Exit 3: held in the window until the professional confirms the identity or picks the patient. */
export const HELD_LAUNCH_CODES: readonly string[] = ['IDENTITY_MISMATCH', 'PATIENT_SELECTION_REQUIRED'];

/** The exit code of a launch the instance (or the local checks) refused. */
export function exitCodeOf(code: string): number {
  if (INVALID_LAUNCH_CODES.includes(code)) return 2;
  return HELD_LAUNCH_CODES.includes(code) ? 3 : 1;
}

/** Same rule as main/launch/argv.ts cliLaunchArgv: a URL goes after `--` (a test keeps them equal). */
export function forwardArgv(args: readonly string[]): string[] {
  return args[0] !== undefined && args[0].toLowerCase().startsWith('relais:') ? ['--', ...args] : [...args];
}

interface Instance {
  host: string;
  controlUrl: string;
  token: string;
}

/** instance.json read without zod: only what forwarding needs, checked by hand. */
function readInstance(dataDir: string): Instance | null {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, 'instance.json'), 'utf8')) as Record<string, unknown>;
    const { host, controlUrl, token } = v;
    if (typeof host !== 'string' || typeof controlUrl !== 'string' || typeof token !== 'string' || token.length < 32) return null;
    const loopback = loopbackControlUrl(controlUrl);
    return loopback === null ? null : { host, controlUrl: loopback, token };
  } catch {
    return null;
  }
}

function post(url: string, token: string, body: string): Promise<{ status: number; text: string } | null> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

interface ErrorShape {
  code: string;
  field?: string;
}

function explain(error: ErrorShape): string {
  const field = error.field ? cliText(CLI_TEXT_FR.field, { field: error.field }) : '';
  const message = (ERROR_MESSAGES_FR as Record<string, string | undefined>)[error.code] ?? ERROR_MESSAGES_FR['INTERNAL' as ErrorCode];
  return cliText(CLI_TEXT_FR.errorLine, { code: error.code, field, message });
}

type Answer = { ok: true; value: { opened: boolean } } | { ok: false; error: ErrorShape } | null;

function parseAnswer(text: string): Answer {
  try {
    return JSON.parse(text) as Answer;
  } catch {
    return null;
  }
}

/** The exit code when the running instance answered; null when no instance answered. */
export async function forwardLaunch(argv: readonly string[], io: ForwardIo, dataDir: string): Promise<number | null> {
  const [command, ...given] = argv;
  if (command !== 'launch' || given.length === 0) return null;
  const instance = readInstance(dataDir);
  if (!instance) return null;
  const answer = await post(`${instance.controlUrl}/launch`, instance.token, JSON.stringify({ argv: forwardArgv(given) }));
  if (!answer) return null;
  const body = parseAnswer(answer.text);
  if (body?.ok) {
    // No launch in these arguments (the instance opened nothing): the usage, as the full CLI says it.
    if (!body.value.opened) {
      io.err(FORWARD_USAGE);
      return 2;
    }
    io.out(cliText(CLI_TEXT_FR.opened, { host: instance.host }));
    return 0;
  }
  if (!body || typeof body.error?.code !== 'string') {
    io.err(cliText(CLI_TEXT_FR.refused, { status: answer.status }));
    return 1;
  }
  io.err(explain(body.error));
  return exitCodeOf(body.error.code);
}

export function defaultForwardDataDir(): string {
  return process.env.RELAIS_DATA_DIR ?? join(homedir(), '.relais');
}

import { parseArgs } from 'node:util';
import { RelaisError, type LaunchContext } from '../../contract';
import { launchContextFromValues } from './context';
import { PROTOCOL, parseLaunchUrl } from './url';

export type ArgvLaunch = { kind: 'none' } | { kind: 'launch'; context: LaunchContext };

const OPTIONS = {
  ins: { type: 'string' },
  oid: { type: 'string' },
  'birth-name': { type: 'string' },
  'first-names': { type: 'string' },
  'birth-date': { type: 'string' },
  sex: { type: 'string' },
  'birth-place': { type: 'string' },
  'lgc-patient-id': { type: 'string' },
  rpps: { type: 'string' },
} as const;

/** Chromium's end of switches: the OS registration puts the relais:// URL after it. */
export const ARGV_TERMINATOR = '--';

const isLaunchUrl = (a: string) => a.toLowerCase().startsWith(`${PROTOCOL}:`);

/**
 * Finds a launch in a process's argv: either a relais:// URL (how the OS hands a protocol
 * activation over) or the --ins/--birth-name/… options. Unknown flags (Chromium's, Electron's)
 * are ignored. Throws RelaisError when a launch is present but invalid.
 *
 * The URL is taken only after `--`. The OS registration is `Relais.exe -- "%1"` so that a URL a
 * web page crafted (`relais://x" --gpu-launcher=…`, or one a lax browser left unquoted) can never
 * be read by Chromium as a switch: after `--` everything is a plain argument. A relais: argument
 * before `--` is therefore refused, not opened.
 */
export function launchFromArgv(argv: readonly string[]): ArgvLaunch {
  const end = argv.indexOf(ARGV_TERMINATOR);
  if (argv.slice(0, end === -1 ? argv.length : end).some(isLaunchUrl)) {
    throw new RelaisError('LAUNCH_URL_MALFORMED', 'a relais: URL must come after -- on the command line');
  }
  const urls = end === -1 ? [] : argv.slice(end + 1).filter(isLaunchUrl);
  if (urls.length > 1) throw new RelaisError('LAUNCH_URL_MALFORMED', 'more than one relais: URL on the command line');
  if (urls[0] !== undefined) return { kind: 'launch', context: parseLaunchUrl(urls[0]) };
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  // An option given twice (--ins A --ins B) is ambiguous about the patient: refused, not "last wins".
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || !(t.name in OPTIONS)) continue;
    if (seen.has(t.name)) throw new RelaisError('INVALID_INPUT', `option given twice: --${t.name}`, t.name);
    seen.add(t.name);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const hasLaunchOption = Object.keys(OPTIONS).some((k) => values[k] !== undefined);
  if (!hasLaunchOption) return { kind: 'none' };
  return {
    kind: 'launch',
    context: launchContextFromValues({
      ins: str(values.ins),
      oid: str(values.oid),
      birthName: str(values['birth-name']),
      firstNames: str(values['first-names']),
      birthDate: str(values['birth-date']),
      sex: str(values.sex),
      birthPlace: str(values['birth-place']),
      lgcPatientId: str(values['lgc-patient-id']),
      rpps: str(values.rpps),
    }),
  };
}

/**
 * `relais launch "relais://…"` (the CLI, no Chromium involved): the URL typed as the first
 * argument is moved after `--` so the running instance parses it with the same strict rule.
 */
export function cliLaunchArgv(args: readonly string[]): string[] {
  return args[0] !== undefined && isLaunchUrl(args[0]) ? [ARGV_TERMINATOR, ...args] : [...args];
}

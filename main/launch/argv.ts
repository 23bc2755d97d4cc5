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

/**
 * Finds a launch in a process's argv: either a relais:// URL (how the OS hands a protocol
 * activation over) or the --ins/--birth-name/… options. Unknown flags (Chromium's, Electron's)
 * are ignored. Throws RelaisError when a launch is present but invalid.
 */
export function launchFromArgv(argv: readonly string[]): ArgvLaunch {
  const url = argv.find((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`));
  if (url !== undefined) return { kind: 'launch', context: parseLaunchUrl(url) };
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

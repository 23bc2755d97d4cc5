import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { launchFromArgv } from './argv';
import { launchContextFromValues, type RawLaunchValues } from './context';
import { parseLaunchUrl } from './url';

const BASE: RawLaunchValues = {
  ins: '253072A07300443',
  oid: '1.2.250.1.213.1.4.9',
  birthName: 'de la Fontaine',
  firstNames: 'Jean-Baptiste, Zoé',
  birthDate: '1953-07-00',
  sex: 'M',
};

function codeAndField(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RelaisError) return `${e.code}:${e.field ?? ''}`;
    return `untyped: ${String(e)}`;
  }
  return 'no error';
}
const bad = (patch: RawLaunchValues) => codeAndField(() => launchContextFromValues({ ...BASE, ...patch }));

describe('launch values hardening', () => {
  it('accepts a NIA (same key algorithm), Corsica, RNIV partial dates, particles', () => {
    expect(launchContextFromValues(BASE)).toEqual({
      ins: { value: '253072A07300443', oid: '1.2.250.1.213.1.4.9' },
      birthName: 'DE LA FONTAINE',
      firstNames: ['Jean-Baptiste', 'Zoé'],
      birthDate: '1953-07-00',
      sex: 'M',
    });
  });

  it('normalises decomposed accents, typographic apostrophes and ÿ', () => {
    const ctx = launchContextFromValues({ ...BASE, birthName: 'D’Ayme\u0301 L\u00ffs', firstNames: 'Ame\u0301lie' });
    expect(ctx.birthName).toBe("D'AYMÉ LŸS");
    expect(ctx.firstNames).toEqual(['Amélie']);
    expect(launchFromArgv([`--ins=${BASE.ins}`, `--oid=${BASE.oid}`, `--birth-name=${ctx.birthName}`, '--first-names=Amélie', '--birth-date=1953-07-00', '--sex=M'])).toMatchObject({ context: { birthName: "D'AYMÉ LŸS" } });
  });

  it('refuses what identity vigilance cannot accept, with code and field', () => {
    expect(bad({ birthName: "-'" })).toBe('INVALID_INPUT:birthName');
    expect(bad({ birthName: 'Dupont2' })).toBe('INVALID_INPUT:birthName');
    expect(bad({ firstNames: Array(11).fill('Marie').join(',') })).toBe('INVALID_INPUT:firstNames');
    expect(bad({ firstNames: ' , ' })).toBe('TRAITS_MISSING:firstNames');
    expect(bad({ birthDate: '2999-01-01' })).toBe('INVALID_INPUT:birthDate');
    expect(bad({ birthDate: '1849-12-31' })).toBe('INVALID_INPUT:birthDate');
    expect(bad({ birthPlace: '00123' })).toBe('INVALID_INPUT:birthPlace');
    expect(bad({ birthPlace: '2C123' })).toBe('INVALID_INPUT:birthPlace');
    expect(bad({ lgcPatientId: 'a b' })).toBe('INVALID_INPUT:lgcPatientId');
    expect(bad({ lgcPatientId: 'x'.repeat(65) })).toBe('INVALID_INPUT:lgcPatientId');
    expect(bad({ rpps: '1010101010' })).toBe('INVALID_INPUT:rpps');
    // 11 digits but the Luhn check digit is wrong (99700001011 is valid).
    expect(bad({ rpps: '99700001012' })).toBe('INVALID_INPUT:rpps');
    expect(bad({ ins: 42 as unknown as string })).toBe('INVALID_INPUT:ins');
  });

  it('accepts birth abroad (99xxx), Corsica in lower case, LGC identifiers like GUIDs', () => {
    expect(launchContextFromValues({ ...BASE, birthPlace: '99350' }).birthPlace).toBe('99350');
    expect(launchContextFromValues({ ...BASE, birthPlace: '2a004' }).birthPlace).toBe('2A004');
    expect(launchContextFromValues({ ...BASE, lgcPatientId: '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}' }).lgcPatientId).toBe('{3F2504E0-4F89-11D3-9A0C-0305E82C3301}');
  });

  it('refuses a launch parameter given twice (URL and command line)', () => {
    const url = 'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';
    expect(codeAndField(() => parseLaunchUrl(`${url}&sex=M`))).toBe('LAUNCH_URL_MALFORMED:sex');
    expect(codeAndField(() => launchFromArgv(['--ins', '295109912611193', '--ins=253072B07300470']))).toBe('INVALID_INPUT:ins');
  });
});

import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { cliLaunchArgv, launchFromArgv } from './argv';
import { buildLaunchUrl, parseLaunchUrl } from './url';

const OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie,Louise&birthDate=1995-10-12&sex=F&birthPlace=40192';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RelaisError) return e.code;
    return `untyped: ${String(e)}`;
  }
  return 'no error';
}

describe('launch URL', () => {
  it('parses a complete launch and normalises the birth name to capitals', () => {
    const ctx = parseLaunchUrl(OK);
    expect(ctx.ins).toEqual({ value: '295109912611193', oid: '1.2.250.1.213.1.4.10' });
    expect(ctx.birthName).toBe('DUPONT');
    expect(ctx.firstNames).toEqual(['Marie', 'Louise']);
    expect(ctx.birthPlace).toBe('40192');
  });

  it('round-trips through buildLaunchUrl', () => {
    expect(parseLaunchUrl(buildLaunchUrl(parseLaunchUrl(OK)))).toEqual(parseLaunchUrl(OK));
  });

  it('gives a typed error for each kind of bad input', () => {
    expect(codeOf(() => parseLaunchUrl('not a url'))).toBe('LAUNCH_URL_MALFORMED');
    expect(codeOf(() => parseLaunchUrl('https://evil.example/patient/open?ins=1'))).toBe('LAUNCH_URL_MALFORMED');
    expect(codeOf(() => parseLaunchUrl('relais://patient/delete?ins=1'))).toBe('LAUNCH_URL_MALFORMED');
    expect(codeOf(() => parseLaunchUrl(OK.replace('611193', '611194')))).toBe('INS_INVALID');
    expect(codeOf(() => parseLaunchUrl(OK.replace('1.2.250.1.213.1.4.10', '1.2.3')))).toBe('INS_OID_UNKNOWN');
    expect(codeOf(() => parseLaunchUrl(OK.replace('&birthName=Dupont', '')))).toBe('TRAITS_MISSING');
    expect(codeOf(() => parseLaunchUrl(OK.replace('1995-10-12', '1995-02-30')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseLaunchUrl(OK.replace('sex=F', 'sex=X')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseLaunchUrl(OK.replace('Dupont', 'Dupont<script>')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseLaunchUrl(OK + '&x=' + 'a'.repeat(3000)))).toBe('LAUNCH_URL_MALFORMED');
  });

  it('accepts partially unknown birth dates (RNIV) but not impossible ones', () => {
    expect(parseLaunchUrl(OK.replace('1995-10-12', '1995-00-00')).birthDate).toBe('1995-00-00');
    expect(parseLaunchUrl(OK.replace('1995-10-12', '1995-10-00')).birthDate).toBe('1995-10-00');
    expect(codeOf(() => parseLaunchUrl(OK.replace('1995-10-12', '1995-00-12')))).toBe('INVALID_INPUT');
  });
});

describe('argv launch', () => {
  it('finds a relais:// URL after -- among Chromium flags', () => {
    const r = launchFromArgv(['/opt/Relais/relais', '--allow-file-access', '--', OK]);
    expect(r.kind).toBe('launch');
  });

  it('takes the URL only after -- (the registration is `Relais.exe -- "%1"`): before it, refused', () => {
    expect(codeOf(() => launchFromArgv(['/opt/Relais/relais', '--allow-file-access', OK]))).toBe('LAUNCH_URL_MALFORMED');
    expect(codeOf(() => launchFromArgv(['/opt/Relais/relais', OK, '--', OK]))).toBe('LAUNCH_URL_MALFORMED');
    // A crafted activation that smuggles switches: they stay plain arguments after --, never options.
    const smuggled = ['C:\\Relais.exe', '--', OK, '--gpu-launcher=calc.exe', '--ins=253072B07300470'];
    expect(launchFromArgv(smuggled)).toMatchObject({ kind: 'launch', context: { ins: { value: '295109912611193' } } });
    expect(codeOf(() => launchFromArgv(['/opt/Relais/relais', '--', OK, OK]))).toBe('LAUNCH_URL_MALFORMED');
    expect(launchFromArgv(['/opt/Relais/relais', '--', '--ins=295109912611193'])).toEqual({ kind: 'none' });
  });

  it('moves the URL a CLI user types after --', () => {
    expect(cliLaunchArgv([OK])).toEqual(['--', OK]);
    expect(cliLaunchArgv(['--ins', '1'])).toEqual(['--ins', '1']);
    expect(launchFromArgv(cliLaunchArgv([OK])).kind).toBe('launch');
  });

  it('reads command-line options', () => {
    const r = launchFromArgv([
      '--ins', '295109912611193', '--oid', '1.2.250.1.213.1.4.10', '--birth-name', 'Dupont',
      '--first-names', 'Marie', '--birth-date', '1995-10-12', '--sex', 'F',
    ]);
    expect(r).toMatchObject({ kind: 'launch', context: { birthName: 'DUPONT', firstNames: ['Marie'] } });
  });

  it('returns none without launch values and throws typed errors for bad ones', () => {
    expect(launchFromArgv(['/usr/bin/relais', '--inspect'])).toEqual({ kind: 'none' });
    expect(codeOf(() => launchFromArgv(['--ins', '295109912611193']))).toBe('TRAITS_MISSING');
  });
});

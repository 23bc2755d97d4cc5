import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testPki, SECRETARY } from '../../test/fixtures/pki/pki';
import { parseCardCertificate, parseIdNatPs } from './certificate';
import { findMiddleware, middlewareCandidates } from './middleware';

describe('card certificate parser', () => {
  it('reads every attribute of the multi-valued RDN SN+CN+GN (CPS of the demo GP)', () => {
    const pem = testPki().gp.certificatePem;
    // The fixture really has one RDN with three values (as Node prints it).
    expect(new X509Certificate(pem).subject.split('\n')[0]).toBe('SN=DUFAU + CN=899700001011 + GN=Hélène');
    expect(parseCardCertificate(pem)).toMatchObject({
      kind: 'CPS',
      idNatPs: '899700001011',
      rpps: '99700001011',
      familyName: 'DUFAU',
      givenName: 'Hélène',
      professionLabel: 'Médecin',
      professionCode: '10',
      issuerCommonName: 'TEST AC IGC-SANTE FORT PERSONNES',
    });
  });

  it('recognises a CPE (structure staff) by its structure/staff idNatPS', () => {
    expect(parseCardCertificate(testPki().secretary.certificatePem)).toMatchObject({
      kind: 'CPE',
      rpps: null,
      structureId: SECRETARY.structureId,
      idNatPs: SECRETARY.idNatPs,
      professionLabel: 'Secrétaire médicale',
      professionCode: null,
    });
  });

  it('refuses what is not an idNatPS and unreadable certificates', () => {
    expect(() => parseIdNatPs('99700001011')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseIdNatPs('DUFAU')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // A CPS idNatPS whose RPPS fails its Luhn check digit (899700001011 is valid).
    expect(parseIdNatPs('899700001011')).toMatchObject({ kind: 'CPS', rpps: '99700001011' });
    expect(() => parseIdNatPs('899700001012')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'certificate' }));
    expect(() => parseCardCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('middleware lookup', () => {
  it('probes the Cryptolib CPS paths per OS, RELAIS_PKCS11_LIB first', () => {
    expect(middlewareCandidates('win32', { SystemRoot: 'C:\\Windows', PROCESSOR_ARCHITECTURE: 'AMD64' })[0]).toBe('C:\\Windows\\System32\\cps3_pkcs11_w64.dll');
    expect(middlewareCandidates('darwin', {})[0]).toBe('/usr/local/lib/libcps3_pkcs11_osx.dylib');
    expect(middlewareCandidates('linux', {}).every((p) => p.endsWith('libcps3_pkcs11_lux.so'))).toBe(true);
    const exists = (p: string) => p === '/usr/lib/libcps3_pkcs11_lux.so' || p === '/tmp/softhsm.so';
    expect(findMiddleware({ platform: 'linux', env: {}, exists })).toBe('/usr/lib/libcps3_pkcs11_lux.so');
    expect(findMiddleware({ platform: 'linux', env: { RELAIS_PKCS11_LIB: '/tmp/softhsm.so' }, exists })).toBe('/tmp/softhsm.so');
    expect(findMiddleware({ platform: 'linux', env: {}, exists: () => false })).toBeNull();
  });
});

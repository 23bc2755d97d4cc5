import { describe, expect, it } from 'vitest';
import { DR_DUFAU_USERINFO } from '../../../test/fixtures/oidc/psc-provider';
import { discoveryUrls } from './config';
import { chooseSite, mapUserInfo } from './userinfo';

describe('PSC userinfo mapping', () => {
  it('maps SubjectNameID (idNatPS) to the RPPS, names, exercices and every practice site', () => {
    const p = mapUserInfo({ sub: 'f:1', ...DR_DUFAU_USERINFO });
    expect(p).toMatchObject({ idNatPs: '899700001011', rpps: '99700001011', adeli: null, familyName: 'DUFAU', givenName: 'Hélène' });
    expect(p.exercices[0]).toMatchObject({ professionCode: '10', category: 'C', civility: 'DR', savoirFaire: { type: 'S', code: 'SM54' } });
    expect(p.sites).toHaveLength(2);
    expect(p.sites[0]).toMatchObject({ key: '0.0', label: 'MSP des Arènes', siret: '89970000100011', address: '12 RUE DES ARENES 40000', role: null });
    expect(chooseSite(p)).toBeNull();
    expect(chooseSite(p, '0.0')?.structureId).toBe('R10000000001');
    expect(() => chooseSite(p, '3.0')).toThrow(/no site/);
  });

  it('one site is chosen without asking; ADELI-based ids have no RPPS; other ids are refused', () => {
    const one = mapUserInfo({
      sub: 'f:2',
      SubjectNameID: '0401234567',
      family_name: 'LAMOTHE',
      given_name: 'Sophie',
      SubjectRefPro: { exercices: [{ codeProfession: '60', activities: [{ raisonSocialeSite: 'Cabinet infirmier' }] }] },
    });
    expect(one).toMatchObject({ rpps: null, adeli: '401234567' });
    expect(chooseSite(one)?.label).toBe('Cabinet infirmier');
    expect(() => mapUserInfo({ sub: 'f:3', SubjectNameID: '3123456789' })).toThrow(/idNatPS/);
    expect(() => mapUserInfo({ sub: 'f:4' })).toThrow(/unexpected userinfo/);
    const noRefPro = mapUserInfo({ sub: 'f:5', SubjectNameID: '899700099981', given_name: 'A', family_name: 'B' });
    expect(noRefPro.sites).toEqual([]);
  });

  it('discovers at the wallet path; the standard path only as a configured fallback', () => {
    const issuer = 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet';
    expect(discoveryUrls({ issuer, clientId: 'x' }).map((u) => u.href)).toEqual([`${issuer}/.well-known/wallet-openid-configuration`]);
    expect(discoveryUrls({ issuer: `${issuer}/`, clientId: 'x', standardDiscoveryFallback: true }).map((u) => u.href)).toEqual([
      `${issuer}/.well-known/wallet-openid-configuration`,
      `${issuer}/.well-known/openid-configuration`,
    ]);
  });
});

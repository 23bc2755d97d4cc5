import { AxiosError, AxiosHeaders } from 'axios';
import type { DocumentReference, Patient as FhirPatient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../../contract';
import { toRelaisError } from './index';
import { absoluteUrl, encodeBase64Utf8, insOf, mapAuthor, mapJournalEntry, mapPatient, mapProfessional, referenceId } from './mapping';
import { CDL, FR_CORE, PS, RELAIS } from './systems';

const BASE = 'http://127.0.0.1:9999/fhir';

const fhirPatient: FhirPatient = {
  resourceType: 'Patient',
  id: 'p1',
  extension: [
    { url: FR_CORE.identityReliability, extension: [{ url: 'identityStatus', valueCoding: { system: FR_CORE.identityStatusSystem, code: 'QUAL' } }] },
    { url: FR_CORE.birthPlace, valueAddress: { extension: [{ url: FR_CORE.inseeCode, valueCoding: { code: '2A004' } }] } },
  ],
  identifier: [
    { use: 'old', system: 'urn:oid:1.2.250.1.213.1.4.10', value: '295109912611193' },
    { use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.10', value: '253072A07300443' },
    { system: 'urn:oid:1.2.3.4', value: 'whatever' },
  ],
  name: [
    { use: 'usual', family: 'MARTIN', given: ['Marie'] },
    { use: 'official', family: 'DUPONT', given: ['Marie'], extension: [{ url: FR_CORE.birthListGivenName, valueString: 'Marie Josette Odette' }] },
  ],
  gender: 'female',
  birthDate: '1953-07-01',
};

describe('mapPatient', () => {
  it('maps INS (skipping use=old), strict traits, status, birth place and used names', () => {
    expect(mapPatient(fhirPatient)).toEqual({
      id: 'p1',
      ins: { value: '253072A07300443', oid: '1.2.250.1.213.1.4.10' },
      identityStatus: 'QUAL',
      birthName: 'DUPONT',
      firstNames: ['Marie', 'Josette', 'Odette'],
      birthDate: '1953-07-01',
      sex: 'F',
      birthPlace: '2A004',
      usedName: 'MARTIN',
      usedFirstName: 'Marie',
    });
  });

  it('defaults to PROV without the reliability extension and to given[] without the birth list', () => {
    const p = mapPatient({ resourceType: 'Patient', id: 'p2', name: [{ family: 'X', given: ['A', 'B'] }], birthDate: '1950-01-01', gender: 'unknown' });
    expect(p.identityStatus).toBe('PROV');
    expect(p.firstNames).toEqual(['A', 'B']);
    expect(p.sex).toBe('U');
    expect(p.ins).toBeNull();
  });

  it('throws PLATFORM_ERROR when strict traits are missing', () => {
    expect(() => mapPatient({ resourceType: 'Patient', id: 'p3' })).toThrowError(RelaisError);
    try {
      mapPatient({ resourceType: 'Patient', id: 'p3' });
    } catch (e) {
      expect((e as RelaisError).code).toBe('PLATFORM_ERROR');
    }
  });

  it('ignores INS with a wrong key format or unknown OID', () => {
    expect(insOf([{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: '12345' }])).toBeNull();
    expect(insOf([{ system: 'urn:oid:1.2.250.1.213.1.4.99', value: '295109912611193' }])).toBeNull();
  });
});

const practitioner: Practitioner = {
  resourceType: 'Practitioner',
  id: 'pr1',
  identifier: [{ system: PS.idNatPs, value: '899700001011' }],
  name: [{ use: 'official', family: 'DUFAU', given: ['Hélène'], prefix: ['Dr'] }],
  qualification: [{ code: { coding: [{ system: PS.professionSystem, code: '10', display: 'Médecin' }] } }],
};
const role: PractitionerRole = {
  resourceType: 'PractitionerRole',
  id: 'r1',
  practitioner: { reference: 'Practitioner/pr1' },
  organization: { display: 'MSP des Arènes' },
  code: [{ coding: [{ system: RELAIS.roleLabel, code: 'gp', display: 'Médecin généraliste' }], text: 'Médecin généraliste' }],
};

describe('mapProfessional / mapAuthor', () => {
  it('reads the RPPS from idNatPS when the RPPS slice is absent', () => {
    expect(mapProfessional(practitioner, [role])).toEqual({
      id: 'pr1',
      rpps: '99700001011',
      idNatPs: '899700001011',
      familyName: 'DUFAU',
      givenName: 'Hélène',
      profession: { code: '10', label: 'Médecin' },
      roleLabel: 'Médecin généraliste',
      organization: 'MSP des Arènes',
    });
  });
  it('falls back to the profession label as role label', () => {
    expect(mapProfessional(practitioner).roleLabel).toBe('Médecin');
  });

  it('does not take an RPPS whose check digit is wrong for the professional\'s number', () => {
    const typo: Practitioner = { ...practitioner, identifier: [{ system: PS.rpps, value: '99700001012' }, { system: PS.idNatPs, value: '899700001012' }] };
    expect(mapProfessional(typo).rpps).toBeUndefined();
  });
  it('builds author name and role label, with display fallbacks', () => {
    expect(mapAuthor({ reference: 'PractitionerRole/r1' }, role, practitioner)).toEqual({ id: 'pr1', name: 'Dr Hélène DUFAU', roleLabel: 'Médecin généraliste' });
    expect(mapAuthor({ reference: 'PractitionerRole/zz', display: 'Sophie L.' }, undefined, undefined)).toEqual({ id: 'zz', name: 'Sophie L.', roleLabel: '' });
  });
});

describe('mapJournalEntry', () => {
  const author = () => ({ id: 'pr1', name: 'Dr Hélène DUFAU', roleLabel: 'Médecin généraliste' });
  const doc: DocumentReference = {
    resourceType: 'DocumentReference',
    id: 'd2',
    meta: { versionId: '3', lastUpdated: '2026-11-01T10:00:00Z' },
    extension: [{ url: CDL.isEmergency, valueBoolean: true }],
    status: 'current',
    type: { coding: [{ system: RELAIS.journalKind, code: 'alert' }] },
    subject: { reference: 'Patient/p1' },
    date: '2026-11-01T09:59:00Z',
    author: [{ reference: 'PractitionerRole/r1' }],
    relatesTo: [{ code: 'appends', target: { reference: 'DocumentReference/d1' } }],
    content: [
      { attachment: { contentType: 'text/plain; charset=utf-8', data: encodeBase64Utf8('Chute, douleur de hanche — SAMU appelé') } },
      { attachment: { contentType: 'image/png', url: 'Binary/b1', title: 'plaie.png', size: 1234 } },
    ],
  };
  it('maps kind, text (UTF-8), absolute attachment URLs, urgency, reply and version', () => {
    expect(mapJournalEntry(doc, BASE, author)).toEqual({
      id: 'd2',
      patientId: 'p1',
      kind: 'alert',
      date: '2026-11-01T09:59:00Z',
      author: author(),
      text: 'Chute, douleur de hanche — SAMU appelé',
      attachments: [{ contentType: 'image/png', title: 'plaie.png', url: `${BASE}/Binary/b1`, size: 1234 }],
      urgent: true,
      replyTo: 'd1',
      version: '3',
    });
  });
  it('infers the kind when the Relais code is absent and falls back to description', () => {
    const e = mapJournalEntry(
      { resourceType: 'DocumentReference', id: 'd3', status: 'current', subject: { reference: 'Patient/p1' }, description: 'note', content: [{ attachment: { contentType: 'audio/wav', url: `${BASE}/Binary/v` } }] },
      BASE,
      author,
    );
    expect(e.kind).toBe('voice');
    expect(e.text).toBe('note');
    expect(e.urgent).toBe(false);
    expect(e.replyTo).toBeUndefined();
  });
  it('helpers', () => {
    expect(referenceId('Patient/1/_history/2', 'Patient')).toBe('1');
    expect(referenceId('Practitioner/1', 'Patient')).toBeUndefined();
    expect(absoluteUrl('Binary/x', BASE)).toBe(`${BASE}/Binary/x`);
    expect(absoluteUrl('https://other/Binary/x', BASE)).toBe('https://other/Binary/x');
  });
});

describe('toRelaisError', () => {
  const withStatus = (status: number) =>
    new AxiosError('x', 'ERR_BAD_RESPONSE', undefined, {}, { status, statusText: '', headers: {}, config: { headers: new AxiosHeaders() }, data: {} });
  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [409, 'CONFLICT'],
    [412, 'CONFLICT'],
    [500, 'PLATFORM_ERROR'],
    [503, 'PLATFORM_ERROR'],
  ])('HTTP %i → %s', (status, code) => {
    expect(toRelaisError(withStatus(status), 'op').code).toBe(code);
  });
  it('404 depends on the call', () => {
    expect(toRelaisError(withStatus(404), 'op', 'PATIENT_NOT_FOUND').code).toBe('PATIENT_NOT_FOUND');
    expect(toRelaisError(withStatus(404), 'op').code).toBe('PLATFORM_ERROR');
  });
  it('network failures → PLATFORM_UNREACHABLE', () => {
    expect(toRelaisError(new AxiosError('refused', 'ECONNREFUSED'), 'op').code).toBe('PLATFORM_UNREACHABLE');
    expect(toRelaisError(new AxiosError('timeout', 'ECONNABORTED'), 'op').code).toBe('PLATFORM_UNREACHABLE');
  });
});

import { JOURNAL_KINDS } from '../../contract';
import { createHash } from 'node:crypto';
import type { CareTeam, DocumentReference, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, buildSeed, DEMO_GP_ID, DEMO_GP_ROLE_ID, DEMO_GP_RPPS } from './index';
import { insKey, isValidIns } from './ins';
import { isValidRpps } from './rpps';

const sha = (rs: Resource[]): string => createHash('sha256').update(JSON.stringify(rs)).digest('hex');
const seed1 = buildSeed(1);
const of = <T extends Resource>(type: T['resourceType']): T[] => seed1.resources.filter((r) => r.resourceType === type) as T[];

describe('INS key', () => {
  it('matches the DOMAIN.md examples, Corsica included', () => {
    expect(isValidIns('295109912611193')).toBe(true);
    expect(isValidIns('253072B07300470')).toBe(true);
    expect(isValidIns('253072A07300443')).toBe(true);
    expect(insKey('253072A073004')).toBe('43');
    expect(isValidIns('295109912611194')).toBe(false);
  });
});

describe('seed', () => {
  it('is deterministic: same seed → byte-identical resources; another seed differs', () => {
    const again = buildSeed(1);
    expect(sha(again.resources)).toBe(sha(seed1.resources));
    expect(sha(buildSeed(2).resources)).not.toBe(sha(seed1.resources));
  });

  it('has ≥ 20 patients with a valid INS on the TEST/DEMO OIDs, coherent with sex and birth date', () => {
    const patients = of<Patient>('Patient');
    const withIns = patients.filter((p) => p.identifier?.some((i) => i.system?.startsWith('urn:oid:1.2.250.1.213.1.4.1')));
    expect(withIns.length).toBeGreaterThanOrEqual(20);
    const systems = new Set<string>();
    for (const p of withIns) {
      const id = p.identifier![0]!;
      systems.add(id.system!);
      expect(['urn:oid:1.2.250.1.213.1.4.10', 'urn:oid:1.2.250.1.213.1.4.11']).toContain(id.system);
      const nir = id.value!;
      expect(isValidIns(nir), nir).toBe(true);
      expect(nir[0]).toBe(p.gender === 'male' ? '1' : '2');
      expect(nir.slice(1, 3)).toBe(p.birthDate!.slice(2, 4));
      expect(nir.slice(3, 5)).toBe(p.birthDate!.slice(5, 7));
      const insee = p.extension?.find((e) => e.url.endsWith('patient-birthPlace'))?.valueAddress?.extension?.[0]?.valueCoding?.code;
      expect(nir.slice(5, 10)).toBe(insee);
    }
    expect(systems.size).toBe(2);
    expect(withIns.filter((p) => p.identifier![0]!.system!.endsWith('.11')).length).toBeGreaterThanOrEqual(2);
    expect(withIns.some((p) => /^.{5}2[AB]/.test(p.identifier![0]!.value!))).toBe(true);
    const statuses = patients.map((p) => p.extension?.[0]?.extension?.[0]?.valueCoding?.code);
    expect(statuses.filter((s) => s === 'QUAL').length).toBeGreaterThan(patients.length / 2);
    for (const s of ['VALI', 'RECUP', 'PROV']) expect(statuses).toContain(s);
  });

  it('has ≥ 15 professionals with valid RPPS (test range, Luhn check digit) and idNatPS, the demo GP among them', () => {
    // Structure staff (CPE holders, `staff-…`) have an idNatPS and no RPPS: see the roles test below.
    const pros = of<Practitioner>('Practitioner').filter((p) => !p.id!.startsWith('staff-'));
    expect(pros.length).toBeGreaterThanOrEqual(15);
    for (const p of pros) {
      const rpps = p.identifier?.find((i) => i.system === 'https://rpps.esante.gouv.fr')?.value;
      expect(rpps).toMatch(/^997000\d{5}$/);
      // idNatPS of the ANS test cards: 899700…
      expect(`8${rpps}`).toMatch(/^899700/);
      expect(isValidRpps(rpps!), `${rpps} fails its Luhn check digit`).toBe(true);
      expect(p.identifier?.find((i) => i.system === 'urn:oid:1.2.250.1.71.4.2.1')?.value).toBe(`8${rpps}`);
    }
    expect(pros.find((p) => p.id === DEMO_GP_ID)?.identifier?.[1]?.value).toBe(DEMO_GP_RPPS);
  });

  it('marks a share of entries medical (physicians only), appointments administrative, and lists the secretary without RPPS', () => {
    const docs = of<DocumentReference>('DocumentReference');
    const medical = docs.filter((d) => d.securityLabel?.some((l) => l.coding?.some((c) => c.code === 'R')));
    expect(medical.length / docs.length).toBeGreaterThan(0.1);
    expect(medical.length / docs.length).toBeLessThan(0.5);
    const physicianRoles = new Set(['role-dufau', 'role-laborde', 'role-humbert', 'role-bergeron', 'role-lacoste', 'role-lefevre']);
    for (const d of medical) expect(physicianRoles.has(d.author![0]!.reference!.split('/')[1]!)).toBe(true);
    for (const d of docs) expect(d.securityLabel).toHaveLength(1);
    const appointments = docs.filter((d) => d.type?.coding?.[0]?.code === 'appointment');
    expect(appointments.every((d) => d.category?.some((c) => c.coding?.some((x) => x.code === 'administrative')))).toBe(true);
    const secretary = of<Practitioner>('Practitioner').find((p) => p.id === 'staff-labeyrie')!;
    expect(secretary.identifier).toEqual([expect.objectContaining({ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '3409990011/SEC0001' })]);
    const teams = of<CareTeam>('CareTeam').filter((t) => t.participant?.some((m) => m.member?.reference === 'PractitionerRole/role-staff-labeyrie'));
    expect(teams.length).toBeGreaterThan(5);
  });

  it('puts the demo GP in every care team', () => {
    const teams = of<CareTeam>('CareTeam');
    expect(teams.length).toBe(of<Patient>('Patient').length);
    for (const t of teams) expect(t.participant?.some((m) => m.member?.reference === `PractitionerRole/${DEMO_GP_ROLE_ID}`)).toBe(true);
  });

  it('gives journals of 10–500 entries, exactly 10 000 and 500 for the benchmark patients', () => {
    const counts = new Map<string, number>();
    for (const d of of<DocumentReference>('DocumentReference')) counts.set(d.subject!.reference!, (counts.get(d.subject!.reference!) ?? 0) + 1);
    expect(counts.get(`Patient/${BENCH_PATIENT_10K.id}`)).toBe(10_000);
    expect(counts.get(`Patient/${BENCH_PATIENT_500.id}`)).toBe(500);
    for (const [ref, n] of counts) {
      if (ref.includes('bench')) continue;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(500);
    }
    expect(counts.size).toBe(of<Patient>('Patient').length);
    expect(isValidIns(BENCH_PATIENT_10K.ins.value)).toBe(true);
    expect(isValidIns(BENCH_PATIENT_500.ins.value)).toBe(true);
  });

  it('mixes every journal kind, dates within two years before the reference date, replies pointing backwards', () => {
    const docs = of<DocumentReference>('DocumentReference');
    const kinds = new Set(docs.map((d) => d.type?.coding?.[0]?.code));
    // An admission request's journal entry is written by Relais when a secretary files one (issue
    // 15); the seeded history predates that kind and holds real admissions (« hospitalisation »).
    const writtenOnlyByRelais = new Set(['admission-request']);
    expect([...kinds].sort()).toEqual(JOURNAL_KINDS.filter((k) => !writtenOnlyByRelais.has(k)).sort());
    const ids = new Set(docs.map((d) => d.id));
    for (const d of docs) {
      expect(d.date! < '2026-11-20T18:00:00.000Z').toBe(true);
      expect(d.date! >= '2024-11-20').toBe(true);
      const target = d.relatesTo?.[0]?.target.reference;
      if (target) expect(ids.has(target.split('/')[1])).toBe(true);
    }
    expect(docs.some((d) => d.extension?.some((e) => e.url.endsWith('cdl-ext-is-emergency')))).toBe(true);
  });

  it('ships small real binaries (WAV < 60 KB, PNG < 30 KB, PDF)', () => {
    for (const b of of<import('@medplum/fhirtypes').Binary>('Binary')) {
      const bytes = Buffer.from(b.data!, 'base64');
      if (b.contentType === 'audio/wav') {
        expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
        expect(bytes.length).toBeLessThan(60_000);
      } else if (b.contentType === 'image/png') {
        expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect(bytes.length).toBeLessThan(30_000);
      } else {
        expect(b.contentType).toBe('application/pdf');
        expect(bytes.subarray(0, 5).toString('ascii')).toBe('%PDF-');
      }
    }
  });
});

import { createHash } from 'node:crypto';
import type { Appointment, CarePlan, Flag, MedicationRequest, PractitionerRole, Resource, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, DEMO_GP_ROLE_ID, REFERENCE_DATE } from './index';

const CARE_TYPES = ['MedicationRequest', 'CarePlan', 'Goal', 'Condition', 'Appointment', 'Task', 'Flag', 'Location'];
const seed1 = buildSeed(1);
const care = (s: typeof seed1) => s.resources.filter((r) => CARE_TYPES.includes(r.resourceType));
const sha = (rs: Resource[]): string => createHash('sha256').update(JSON.stringify(rs)).digest('hex');
const of = <T extends Resource>(type: T['resourceType']): T[] => seed1.resources.filter((r) => r.resourceType === type) as T[];

describe('care seed (panels and alerts)', () => {
  it('is deterministic and leaves the journal untouched', () => {
    expect(sha(care(buildSeed(1)))).toBe(sha(care(seed1)));
    expect(sha(care(buildSeed(2)))).not.toBe(sha(care(seed1)));
    expect(seed1.counts.DocumentReference).toBe(13_222);
  });

  it('gives every patient treatments, one PPS with a review activity, tasks, and some appointments and alerts', () => {
    const patients = seed1.resources.filter((r) => r.resourceType === 'Patient').map((p) => `Patient/${p.id}`);
    const subjects = (rs: { subject?: { reference?: string } }[]) => new Set(rs.map((r) => r.subject?.reference));
    expect(subjects(of<MedicationRequest>('MedicationRequest')).size).toBe(patients.length);
    const plans = of<CarePlan>('CarePlan');
    expect(plans).toHaveLength(patients.length);
    for (const p of plans) {
      expect(p.activity?.some((a) => a.detail?.code?.coding?.some((c) => c.code === 'review'))).toBe(true);
      expect(p.goal!.length).toBeGreaterThan(1);
      expect(p.author?.reference).toMatch(/^PractitionerRole\//);
    }
    const tasks = of<Task>('Task');
    expect(new Set(tasks.map((t) => t.for?.reference)).size).toBe(patients.length);
    expect(tasks.filter((t) => t.owner?.reference === `PractitionerRole/${DEMO_GP_ROLE_ID}`).length).toBeGreaterThan(20);
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(['requested', 'accepted', 'in-progress', 'completed']));
    const upcoming = of<Appointment>('Appointment').filter((a) => a.start! > REFERENCE_DATE);
    expect(upcoming.length).toBeGreaterThan(patients.length);
    const flags = of<Flag>('Flag');
    expect(flags.filter((f) => f.status === 'active').length).toBeGreaterThan(10);
    for (const f of flags) expect(f.period!.start! < REFERENCE_DATE).toBe(true);
    expect(new Set(flags.map((f) => f.code.coding![0]!.code)).size).toBe(4);
  });

  it('gives every PractitionerRole fictitious contacts (01 99 00 xx xx, example.org)', () => {
    for (const r of of<PractitionerRole>('PractitionerRole')) {
      expect(r.telecom?.find((t) => t.system === 'phone')?.value).toMatch(/^01 99 00 \d{2} \d{2}$/);
      expect(r.telecom?.find((t) => t.system === 'email')?.value).toMatch(/^[a-z-]+\.[a-z-]+@example\.org$/);
    }
  });
});

import type { CarePlan, CareTeam, Condition, Flag, Goal, MedicationRequest, Practitioner, PractitionerRole, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapAppointment, personResolver } from '../../platform/fhir/mapping';
import { RELAIS } from '../../platform/fhir/systems';
import { PANELS } from './fhir-systems';
import {
  mapAlert,
  mapCareTeam,
  mapPps,
  mapTask,
  mapTreatment,
  pickPps,
  sortTasks,
  sortTreatments,
  withHandling,
} from './fhir-mapping';

const role: PractitionerRole = {
  resourceType: 'PractitionerRole',
  id: 'role-dufau',
  practitioner: { reference: 'Practitioner/prac-dufau' },
  organization: { display: 'MSP des Arènes' },
  code: [{ coding: [{ system: RELAIS.roleLabel, code: 'gp', display: 'Médecin généraliste' }], text: 'Médecin généraliste' }],
  telecom: [
    { system: 'phone', value: '01 99 00 01 01' },
    { system: 'email', value: 'helene.dufau@example.org' },
  ],
};
const pract: Practitioner = { resourceType: 'Practitioner', id: 'prac-dufau', name: [{ use: 'official', family: 'DUFAU', given: ['Hélène'], prefix: ['Dr'] }] };
const roles = new Map([[role.id!, role]]);
const practs = new Map([[pract.id!, pract]]);
const person = personResolver(roles, practs);
const dufau = { id: 'prac-dufau', name: 'Dr Hélène DUFAU', roleLabel: 'Médecin généraliste' };

describe('panels mapping', () => {
  it('maps a MedicationRequest to a treatment (DCI, posology, prescriber, start, stop reason)', () => {
    const mr: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm1',
      meta: { versionId: '3' },
      status: 'stopped',
      statusReason: { text: 'Arrêté : hypotension' },
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { text: 'Ramipril 5 mg, gélule' },
      authoredOn: '2026-01-02',
      requester: { reference: 'PractitionerRole/role-dufau' },
      dosageInstruction: [{ text: '1 gélule le soir', timing: { repeat: { boundsPeriod: { start: '2026-01-03', end: '2026-11-10' } } } }],
    };
    expect(mapTreatment(mr, person)).toEqual({
      id: 'm1',
      medication: 'Ramipril 5 mg, gélule',
      posology: '1 gélule le soir',
      prescriber: dufau,
      startDate: '2026-01-03',
      endDate: '2026-11-10',
      status: 'stopped',
      reason: 'Arrêté : hypotension',
      version: '3',
    });
    expect(mapTreatment({ ...mr, status: 'entered-in-error' }, person)).toBeNull();
    const active = mapTreatment({ ...mr, id: 'm2', status: 'active', dosageInstruction: [{ text: 'x' }] }, person)!;
    expect(active).toMatchObject({ status: 'active', startDate: '2026-01-02', endDate: null });
    expect(sortTreatments([mapTreatment(mr, person)!, active]).map((t) => t.id)).toEqual(['m2', 'm1']);
  });

  it('maps a PPS: coordinator, problems, preferences, objectives by priority, interventions, review date', () => {
    const cond: Condition = { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, code: { text: 'Insuffisance cardiaque' } };
    const g = (id: string, prio: string): Goal => ({
      resourceType: 'Goal',
      id,
      lifecycleStatus: 'active',
      description: { text: `Objectif ${id}` },
      subject: { reference: 'Patient/p1' },
      priority: { coding: [{ code: prio }] },
      target: [{ detailString: 'critère', dueDate: '2027-01-01' }],
    });
    const plan: CarePlan = {
      resourceType: 'CarePlan',
      id: 'cp',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/p1' },
      author: { reference: 'PractitionerRole/role-dufau' },
      addresses: [{ reference: 'Condition/c1' }, { reference: 'Condition/missing', display: 'Chutes' }],
      goal: [{ reference: 'Goal/g-low' }, { reference: 'Goal/g-high' }],
      note: [
        { authorReference: { reference: 'Patient/p1' }, text: 'Rester chez elle' },
        { authorString: 'IDE', text: 'pas une préférence' },
      ],
      description: 'Appeler le médecin traitant',
      activity: [
        { detail: { status: 'in-progress', description: 'Pansements', performer: [{ reference: 'PractitionerRole/role-dufau' }], scheduledPeriod: { end: '2027-02-01' } } },
        { detail: { status: 'scheduled', code: { coding: [{ system: PANELS.ppsActivity, code: 'review' }] }, scheduledPeriod: { start: '2027-01-15' } } },
        { detail: { status: 'completed', code: { coding: [{ system: PANELS.ppsActivity, code: 'review' }] }, scheduledPeriod: { start: '2026-06-01' } } },
      ],
    };
    const pps = mapPps(plan, new Map([['g-low', g('g-low', 'low-priority')], ['g-high', g('g-high', 'high-priority')]]), new Map([['c1', cond]]), person, 'p1')!;
    expect(pps).toMatchObject({
      coordinator: dufau,
      problems: ['Insuffisance cardiaque', 'Chutes'],
      preferences: ['Rester chez elle'],
      nextReview: '2027-01-15',
      alertProcedure: 'Appeler le médecin traitant',
      interventions: [{ description: 'Pansements', performer: dufau, scheduledEnd: '2027-02-01', status: 'in-progress' }],
    });
    expect(pps.objectives.map((o) => [o.id, o.priority])).toEqual([
      ['g-high', 'high'],
      ['g-low', 'low'],
    ]);
    // Without a review activity, the plan's period end.
    expect(mapPps({ ...plan, activity: [], period: { end: '2027-03-01' } }, new Map(), new Map(), person, 'p1')!.nextReview).toBe('2027-03-01');
    expect(pickPps([{ ...plan, id: 'old', status: 'completed' }, plan])?.id).toBe('cp');
  });

  it('maps an appointment: professional, place, time', () => {
    const a = mapAppointment(
      {
        resourceType: 'Appointment',
        id: 'a1',
        status: 'booked',
        start: '2026-12-01T09:00:00Z',
        end: '2026-12-01T09:30:00Z',
        description: 'Consultation de cardiologie',
        participant: [
          { actor: { reference: 'Patient/p1' }, status: 'accepted' },
          { actor: { reference: 'PractitionerRole/role-dufau' }, status: 'accepted' },
          { actor: { reference: 'Location/l1', display: 'CH de Mont-de-Marsan' }, status: 'accepted' },
        ],
      },
      person,
    );
    expect(a).toEqual({
      id: 'a1',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T09:30:00Z',
      description: 'Consultation de cardiologie',
      professional: dufau,
      location: 'CH de Mont-de-Marsan',
      status: 'booked',
    });
  });

  it('maps tasks (mine by PractitionerRole, due date from restriction) and sorts mine and open first', () => {
    const t = (id: string, status: Task['status'], owner: string, due?: string): Task => ({
      resourceType: 'Task',
      id,
      status,
      intent: 'order',
      meta: { versionId: 'v1' },
      description: `Tâche ${id}`,
      for: { reference: 'Patient/p1' },
      owner: { reference: owner },
      ...(due ? { restriction: { period: { end: due } } } : {}),
    });
    const mine = new Set(['role-dufau']);
    const mapped = [
      t('done', 'completed', 'PractitionerRole/role-dufau', '2026-01-01'),
      t('other', 'requested', 'PractitionerRole/role-x', '2026-01-01'),
      t('late', 'requested', 'PractitionerRole/role-dufau', '2026-11-30'),
      t('soon', 'accepted', 'PractitionerRole/role-dufau', '2026-11-21'),
      t('draft', 'draft', 'PractitionerRole/role-dufau'),
    ].map((x) => mapTask(x, person, mine, 'prac-dufau'));
    expect(mapped[4]).toBeNull();
    expect(mapped[2]).toMatchObject({ mine: true, dueDate: '2026-11-30', owner: dufau, version: 'v1', patientId: 'p1' });
    expect(sortTasks(mapped.filter((x) => x !== null)).map((x) => x.id)).toEqual(['soon', 'late', 'done', 'other']);
    // A task created from a message keeps its link to it (Task.focus → DocumentReference); others have none.
    expect(mapped[2]?.entryId).toBeNull();
    expect(mapTask({ ...t('fromMsg', 'requested', 'PractitionerRole/role-dufau'), focus: { reference: 'DocumentReference/entry-42' } }, person, mine, 'prac-dufau')?.entryId).toBe('entry-42');
    expect(mapTask({ ...t('fromRx', 'requested', 'PractitionerRole/role-dufau'), focus: { reference: 'MedicationRequest/mr-1' } }, person, mine, 'prac-dufau')?.entryId).toBeNull();
  });

  it('maps the care team with contacts and the coordinator', () => {
    const team: CareTeam = {
      resourceType: 'CareTeam',
      id: 'ct',
      participant: [
        { member: { reference: 'PractitionerRole/role-dufau' } },
        { member: { reference: 'PractitionerRole/role-unknown', display: 'Marie LARRIEU' }, role: [{ text: "Coordinatrice d'appui" }] },
      ],
    };
    expect(mapCareTeam(team, roles, practs, 'role-unknown')).toEqual([
      { id: 'role-dufau', name: 'Dr Hélène DUFAU', roleLabel: 'Médecin généraliste', organization: 'MSP des Arènes', phone: '01 99 00 01 01', email: 'helene.dufau@example.org', coordinator: false },
      { id: 'role-unknown', name: 'Marie LARRIEU', roleLabel: "Coordinatrice d'appui", coordinator: true },
    ]);
  });

  it('maps a Flag to an alert, unknown kinds as other', () => {
    const f: Flag = {
      resourceType: 'Flag',
      id: 'f1',
      meta: { versionId: '1', lastUpdated: '2026-11-20T10:00:00Z' },
      status: 'active',
      code: { coding: [{ system: PANELS.alertKind, code: 'hospitalisation' }], text: 'Hospitalisation en cours' },
      subject: { reference: 'Patient/p1' },
      period: { start: '2026-11-19' },
      author: { reference: 'PractitionerRole/role-dufau' },
    };
    expect(mapAlert(f, person)).toEqual({ id: 'f1', patientId: 'p1', kind: 'hospitalisation', text: 'Hospitalisation en cours', start: '2026-11-19', author: dufau, version: '1', severity: null, handled: null });
    // Severity (R4 flag-priority) and who took it into account (alert-handled), read back as written.
    const handledFlag = withHandling(
      { ...f, extension: [{ url: PANELS.flagPriority, valueCodeableConcept: { coding: [{ system: PANELS.flagPriorityCode, code: 'PH' }] } }] },
      { reference: 'PractitionerRole/role-dufau', display: 'Dr Hélène DUFAU' },
      '2026-11-21T08:30:00Z',
    );
    expect(mapAlert(handledFlag, person)).toMatchObject({ severity: 'high', handled: { by: dufau, at: '2026-11-21T08:30:00Z' } });
    // Handling twice keeps one extension.
    expect(withHandling(handledFlag, { reference: 'Practitioner/x', display: 'X' }, '2026-11-22T08:00:00Z').extension?.filter((e) => e.url === PANELS.alertHandled)).toHaveLength(1);
    expect(mapAlert({ ...f, code: { text: 'x' }, period: undefined }, person)).toMatchObject({ kind: 'other', start: '2026-11-20T10:00:00Z' });
    expect(mapAlert({ ...f, subject: { reference: 'Group/g' } }, person)).toBeNull();
  });
});

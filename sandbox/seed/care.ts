/**
 * Seed of the coordination data beside the journal (issue 5): per patient, current treatments
 * (MedicationRequest), a PPS (CarePlan + Condition + Goal), upcoming appointments of the shared
 * agenda (Appointment, Location), tasks (Task) and alerts (Flag); contacts of every
 * PractitionerRole. Deterministic: every patient draws from its own PRNG fork (`care:<id>`), so
 * the journal streams — and the DocumentReference counts — are untouched.
 */
import type {
  Appointment,
  CarePlan,
  CarePlanActivity,
  Condition,
  ContactPoint,
  Flag,
  Goal,
  Location,
  MedicationRequest,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import { PLATFORM } from '../fhir/systems';
import type { Prng } from './prng';
import { DEMO_GP_ID, PROFESSIONALS, roleIdOf, type ProfessionalSeed, type Region } from './referential';
import { serialOfTestRpps } from './rpps';

const DAY = 86_400_000;

export interface CarePatient {
  id: string;
  sex: 'M' | 'F';
  birthName: string;
  usedName?: string;
  region: Region;
  entries: number;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoInstant = (ms: number): string => new Date(ms).toISOString();
const display = (p: ProfessionalSeed): string => `${p.title ? p.title + ' ' : ''}${p.given} ${p.family}`;
const roleRef = (p: ProfessionalSeed) => ({ reference: `PractitionerRole/${roleIdOf(p.id)}`, display: display(p) });

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * Fictitious contacts of a PractitionerRole: ARCEP's 01 99 00 xx xx range (reserved for fiction)
 * and example.org addresses. Derived from the RPPS, so not seed-dependent.
 */
export function telecomOf(p: ProfessionalSeed): ContactPoint[] {
  const n = Number(serialOfTestRpps(p.rpps));
  const xx = String(Math.floor(n / 100) % 100).padStart(2, '0');
  const yy = String(n % 100).padStart(2, '0');
  return [
    { system: 'phone', value: `01 99 00 ${xx} ${yy}`, use: 'work' },
    { system: 'email', value: `${ascii(p.given)}.${ascii(p.family)}@example.org`, use: 'work' },
  ];
}

const locationId = (organization: string): string => `loc-${ascii(organization).slice(0, 48)}`;

/** One Location per structure of the referential (where appointments take place). */
export function locationResources(lastUpdated: string): Location[] {
  const seen = new Map<string, Location>();
  for (const p of PROFESSIONALS) {
    const id = locationId(p.organization);
    if (seen.has(id)) continue;
    seen.set(id, {
      resourceType: 'Location',
      id,
      meta: { versionId: '1', lastUpdated },
      status: 'active',
      name: p.organization,
      address: { city: p.region === 'landes' ? 'Landes' : 'Meuse', country: 'FRA' },
    });
  }
  return [...seen.values()];
}

// ------------------------------------------------------------------------------ clinical pools

interface Situation {
  problem: string;
  meds: readonly (readonly [string, string])[];
  /**
   * criterion: the evaluation criterion (HAS key point 8), in Goal.target.detailString; measure:
   * what it tracks, in Goal.target.measure — R4 invariant gol-1 requires a measure beside a detail.
   */
  goal: { text: string; criterion: string; measure: string };
  intervention: { role: ProfessionalSeed['role']; text: string };
}

const SITUATIONS: readonly Situation[] = [
  {
    problem: 'Insuffisance cardiaque chronique',
    meds: [
      ['Bisoprolol 2,5 mg, comprimé', '1 comprimé le matin'],
      ['Furosémide 40 mg, comprimé', '1 comprimé le matin, 2 si prise de poids > 2 kg en 3 jours'],
      ['Ramipril 5 mg, gélule', '1 gélule le soir'],
    ],
    goal: { text: 'Éviter une nouvelle décompensation cardiaque', criterion: 'Poids stable à ± 2 kg, pas d’hospitalisation à 6 mois', measure: 'Poids et hospitalisations' },
    intervention: { role: 'nurse', text: 'Pesée et surveillance des œdèmes 3 fois par semaine' },
  },
  {
    problem: 'Diabète de type 2 déséquilibré',
    meds: [
      ['Metformine 1000 mg, comprimé', '1 comprimé matin et soir au cours du repas'],
      ['Insuline glargine 100 UI/ml, stylo', '18 UI le soir, adapter selon protocole'],
    ],
    goal: { text: 'Équilibrer le diabète sans hypoglycémie', criterion: 'HbA1c < 8 % au prochain bilan', measure: 'HbA1c' },
    intervention: { role: 'nurse', text: 'Injection d’insuline et surveillance glycémique quotidienne' },
  },
  {
    problem: 'Chutes à répétition',
    meds: [['Cholécalciférol 100 000 UI, ampoule buvable', '1 ampoule tous les 3 mois']],
    goal: { text: 'Prévenir les chutes au domicile', criterion: 'Aucune chute sur 3 mois, test de lever de chaise < 15 s', measure: 'Chutes et test de lever de chaise' },
    intervention: { role: 'physio', text: 'Rééducation de l’équilibre et de la marche, 2 séances par semaine' },
  },
  {
    problem: 'Plaie chronique de jambe',
    meds: [['Paracétamol 1 g, comprimé', '1 comprimé avant les soins, 3 fois par jour au maximum']],
    goal: { text: 'Cicatriser l’ulcère de jambe', criterion: 'Surface de la plaie réduite de moitié en 6 semaines', measure: 'Surface de la plaie' },
    intervention: { role: 'nurse', text: 'Pansement et compression un jour sur deux' },
  },
  {
    problem: 'Fibrillation atriale',
    meds: [['Apixaban 5 mg, comprimé', '1 comprimé matin et soir']],
    goal: { text: 'Sécuriser le traitement anticoagulant', criterion: 'Aucune omission de prise au pilulier, pas de saignement', measure: 'Observance et saignements' },
    intervention: { role: 'pharmacist', text: 'Préparation hebdomadaire du pilulier et bilan partagé de médication' },
  },
  {
    problem: 'Troubles cognitifs débutants',
    meds: [['Donépézil 5 mg, comprimé orodispersible', '1 comprimé le soir au coucher']],
    goal: { text: 'Maintenir l’autonomie au domicile', criterion: 'Score ADL stable à la réévaluation', measure: 'Score ADL' },
    intervention: { role: 'specialist', text: 'Bilan en hôpital de jour gériatrique' },
  },
  {
    problem: 'Isolement social et aidant épuisé',
    meds: [],
    goal: { text: 'Soulager l’aidant principal', criterion: 'Accueil de jour en place, aidant reçu par l’assistante sociale', measure: 'Aides mises en place pour l’aidant' },
    intervention: { role: 'social', text: 'Dossier APA et recherche d’un accueil de jour' },
  },
  {
    problem: 'BPCO',
    meds: [
      ['Tiotropium 2,5 µg, solution pour inhalation', '2 bouffées une fois par jour'],
      ['Salbutamol 100 µg, suspension pour inhalation', '1 à 2 bouffées si essoufflement'],
    ],
    goal: { text: 'Limiter les exacerbations de BPCO', criterion: 'Pas plus d’une exacerbation sur 6 mois', measure: 'Exacerbations de BPCO' },
    intervention: { role: 'physio', text: 'Réhabilitation respiratoire au domicile' },
  },
];

const COMMON_MEDS: readonly (readonly [string, string])[] = [
  ['Atorvastatine 20 mg, comprimé', '1 comprimé le soir'],
  ['Amlodipine 5 mg, gélule', '1 gélule le matin'],
  ['Lévothyroxine 75 µg, comprimé', '1 comprimé le matin à jeun'],
  ['Oméprazole 20 mg, gélule', '1 gélule le matin avant le repas'],
  ['Macrogol 4000, sachet', '1 sachet le matin si besoin'],
];

const STOP_REASONS = ['Arrêté : hypotension orthostatique', 'Arrêté : fin de traitement', 'Arrêté : remplacé après avis du cardiologue'];

const PREFERENCES = [
  'Souhaite rester à son domicile le plus longtemps possible.',
  'Ne souhaite pas de nouvelle hospitalisation sauf urgence vitale.',
  'Préfère les visites le matin ; sa fille est présente le mercredi.',
  'Souhaite continuer à jardiner et à aller au marché.',
  'Refuse pour l’instant le portage des repas.',
];

const ALERT_PROCEDURES = [
  'En cas de prise de poids > 2 kg ou de dyspnée : appeler le médecin traitant, à défaut le 15.',
  'En cas de chute ou de confusion : prévenir la coordinatrice d’appui et le médecin traitant le jour même.',
];

const TASKS_FOR: Record<ProfessionalSeed['role'], readonly string[]> = {
  gp: [
    'Renouveler l’ordonnance de soins infirmiers',
    'Valider la mise à jour du PPS',
    'Rédiger le courrier d’adressage en gériatrie',
    'Remplir le certificat médical du dossier APA',
    'Adapter le diurétique après la prise de poids signalée',
    'Rappeler la fille de la patiente au sujet du retour à domicile',
    'Signer la prescription de kinésithérapie',
  ],
  nurse: ['Surveiller le poids tous les deux jours', 'Mettre en place le pilulier semainier', 'Photographier la plaie chaque semaine'],
  pharmacist: ['Préparer le pilulier de la semaine', 'Réaliser le bilan partagé de médication'],
  physio: ['Faire le bilan d’équilibre', 'Proposer des exercices à faire seul'],
  specialist: ['Programmer l’échographie cardiaque', 'Envoyer le compte rendu de consultation'],
  coordinator: ['Organiser la réunion de concertation', 'Planifier la réévaluation du PPS', 'Organiser le retour à domicile'],
  social: ['Constituer le dossier APA', 'Rechercher un accueil de jour'],
};

const VISITS: Record<ProfessionalSeed['role'], readonly string[]> = {
  gp: ['Consultation de suivi', 'Visite à domicile'],
  nurse: ['Soins infirmiers à domicile', 'Pansement à domicile'],
  pharmacist: ['Bilan partagé de médication'],
  physio: ['Séance de kinésithérapie'],
  specialist: ['Consultation spécialisée', 'Hôpital de jour – bilan'],
  coordinator: ['Réunion de concertation pluriprofessionnelle', 'Visite d’évaluation à domicile'],
  social: ['Rendez-vous avec l’assistante sociale'],
};
const AT_HOME = new Set(['Visite à domicile', 'Soins infirmiers à domicile', 'Pansement à domicile', 'Visite d’évaluation à domicile', 'Séance de kinésithérapie']);

const ALERTS: readonly { kind: 'degradation' | 'non-observance' | 'hospitalisation' | 'new-document'; text: readonly string[]; roles: readonly ProfessionalSeed['role'][] }[] = [
  { kind: 'degradation', text: ['Dégradation de l’état général : dyspnée au moindre effort', 'Dégradation : perte de 3 kg en un mois'], roles: ['nurse', 'gp', 'coordinator'] },
  { kind: 'non-observance', text: ['Non-observance : pilulier non pris depuis 3 jours', 'Non-observance : refuse les injections d’insuline'], roles: ['pharmacist', 'nurse'] },
  { kind: 'hospitalisation', text: ['Hospitalisation en cours : service de cardiologie', 'Hospitalisation : passage aux urgences après une chute'], roles: ['specialist', 'coordinator'] },
  { kind: 'new-document', text: ['Nouveau document : compte rendu d’hospitalisation', 'Nouveau document : résultats de biologie'], roles: ['specialist', 'gp'] },
];
const ALERT_PRIORITY: Record<string, { system: string; code: string; display: string }> = {
  degradation: { system: 'http://hl7.org/fhir/flag-priority-code', code: 'PH', display: 'High priority' },
  hospitalisation: { system: 'http://hl7.org/fhir/flag-priority-code', code: 'PH', display: 'High priority' },
  'non-observance': { system: 'http://hl7.org/fhir/flag-priority-code', code: 'PM', display: 'Medium priority' },
  'new-document': { system: 'http://hl7.org/fhir/flag-priority-code', code: 'PL', display: 'Low priority' },
};
export const ALERT_LABELS: Record<string, string> = {
  degradation: 'Dégradation',
  'non-observance': 'Non-observance',
  hospitalisation: 'Hospitalisation',
  'new-document': 'Nouveau document',
};

// ------------------------------------------------------------------------------ per patient

/** Every care resource of one patient. `refMs` is the fixed reference date of the seed. */
export function careResources(rng: Prng, s: CarePatient, members: readonly ProfessionalSeed[], refMs: number): Resource[] {
  const out: Resource[] = [];
  const today = Math.floor(refMs / DAY) * DAY;
  const meta = (ms: number) => ({ versionId: '1', lastUpdated: isoInstant(ms) });
  const gp = members.find((m) => m.id === DEMO_GP_ID) ?? members[0]!;
  const byRole = (role: ProfessionalSeed['role']) => members.find((m) => m.role === role);
  const patientRef = { reference: `Patient/${s.id}` };
  const pid = s.id;

  // Problem situations (2–3) drawn without repetition.
  const pool = [...SITUATIONS];
  const situations: Situation[] = [];
  const nSituations = rng.int(2, 3);
  while (situations.length < nSituations) situations.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);

  // Conditions
  const conditions: Condition[] = situations.map((sit, i) => ({
    resourceType: 'Condition',
    id: `${pid}-cond-${i + 1}`,
    meta: meta(today - rng.int(200, 700) * DAY),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { text: sit.problem },
    subject: patientRef,
  }));
  out.push(...conditions);

  // Treatments: the situations' drugs + 1–2 common ones; one stopped recently.
  const meds: { med: readonly [string, string]; reason: string }[] = [];
  for (const sit of situations) for (const m of sit.meds) meds.push({ med: m, reason: sit.problem });
  const commons = [...COMMON_MEDS];
  for (let i = rng.int(1, 2); i > 0; i--) meds.push({ med: commons.splice(rng.int(0, commons.length - 1), 1)[0]!, reason: '' });
  const stoppedIndex = meds.length > 2 && rng.chance(0.6) ? rng.int(0, meds.length - 1) : -1;
  meds.forEach(({ med, reason }, i) => {
    const prescriber = med[0].startsWith('Apixaban') || med[0].startsWith('Bisoprolol') ? (byRole('specialist') ?? gp) : gp;
    const start = today - rng.int(20, 900) * DAY;
    const stopped = i === stoppedIndex;
    const end = stopped ? today - rng.int(2, 15) * DAY : undefined;
    const mr: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: `${pid}-med-${i + 1}`,
      meta: meta(end ?? start),
      status: stopped ? 'stopped' : 'active',
      ...(stopped ? { statusReason: { text: rng.pick(STOP_REASONS) } } : {}),
      intent: 'order',
      groupIdentifier: { system: PLATFORM.prescriptionIdNamingSystem, value: `ORD-${pid}-${isoDate(start)}` },
      medicationCodeableConcept: { text: med[0] },
      subject: patientRef,
      authoredOn: isoDate(start),
      requester: roleRef(prescriber),
      ...(reason ? { reasonCode: [{ text: reason }] } : {}),
      dosageInstruction: [
        { text: med[1], timing: { repeat: { boundsPeriod: { start: isoDate(start), ...(end ? { end: isoDate(end) } : {}) } } } },
      ],
    };
    out.push(mr);
  });

  // PPS: CarePlan + Goals. Coordinator = the support-cell coordinator when there is one, else the GP.
  const coordinator = byRole('coordinator') ?? gp;
  const created = today - rng.int(60, 300) * DAY;
  const goals: Goal[] = situations.map((sit, i) => ({
    resourceType: 'Goal',
    id: `${pid}-goal-${i + 1}`,
    meta: meta(created),
    lifecycleStatus: 'active',
    achievementStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: rng.pick(['in-progress', 'improving', 'worsening', 'no-change']) }],
    },
    priority: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-priority', code: i === 0 ? 'high-priority' : rng.pick(['high-priority', 'medium-priority', 'low-priority']) }],
    },
    description: { text: sit.goal.text },
    subject: patientRef,
    target: [{ measure: { text: sit.goal.measure }, detailString: sit.goal.criterion, dueDate: isoDate(today + rng.int(30, 180) * DAY) }],
    addresses: [{ reference: `Condition/${conditions[i]!.id}`, display: sit.problem }],
  }));
  out.push(...goals);
  const activities: CarePlanActivity[] = situations.map((sit) => {
    const performer = byRole(sit.intervention.role) ?? gp;
    return {
      detail: {
        kind: 'ServiceRequest',
        code: { coding: [{ system: PLATFORM.ppsActivityCodeSystem, code: 'intervention' }], text: sit.intervention.text },
        description: sit.intervention.text,
        status: rng.chance(0.7) ? 'in-progress' : 'scheduled',
        scheduledPeriod: { start: isoDate(created), end: isoDate(today + rng.int(20, 150) * DAY) },
        performer: [roleRef(performer)],
      },
    };
  });
  // Review date (HAS key point 9): a scheduled « réévaluation » activity, performed by the coordinator.
  const review = today + rng.int(-5, 75) * DAY;
  activities.push({
    detail: {
      code: { coding: [{ system: PLATFORM.ppsActivityCodeSystem, code: 'review', display: 'Réévaluation du PPS' }], text: 'Réévaluation du PPS' },
      status: 'scheduled',
      scheduledPeriod: { start: isoDate(review) },
      performer: [roleRef(coordinator)],
    },
  });
  const prefs = [...PREFERENCES];
  const preferences = Array.from({ length: rng.int(1, 2) }, () => prefs.splice(rng.int(0, prefs.length - 1), 1)[0]!);
  const plan: CarePlan = {
    resourceType: 'CarePlan',
    id: `${pid}-pps`,
    meta: meta(created + rng.int(0, 30) * DAY),
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: PLATFORM.carePlanCategoryCodeSystem, code: 'pps', display: 'Plan personnalisé de santé' }], text: 'PPS' }],
    title: `PPS de ${s.sex === 'F' ? 'Mme' : 'M.'} ${s.usedName ?? s.birthName}`,
    description: rng.pick(ALERT_PROCEDURES),
    subject: patientRef,
    period: { start: isoDate(created) },
    created: isoDate(created),
    author: roleRef(coordinator),
    contributor: [roleRef(gp)],
    careTeam: [{ reference: `CareTeam/ct-${pid}` }],
    addresses: conditions.map((c) => ({ reference: `Condition/${c.id}`, display: c.code!.text! })),
    goal: goals.map((g) => ({ reference: `Goal/${g.id}`, display: g.description.text! })),
    activity: activities,
    note: preferences.map((text) => ({ authorReference: patientRef, text })),
  };
  out.push(plan);

  // Shared agenda: 2–4 upcoming appointments (one already past, kept for history).
  const nAppts = rng.int(2, 4);
  for (let i = 0; i < nAppts; i++) {
    const who = rng.pick(members);
    const picked = rng.pick(VISITS[who.role]);
    const what = picked === 'Consultation spécialisée' ? (who.roleLabel === 'Gériatre' ? 'Consultation de gériatrie' : 'Consultation de cardiologie') : picked;
    const dayOffset = i === 0 ? -rng.int(3, 20) : rng.int(1, 120);
    const startMs = today + dayOffset * DAY + (8 * 60 + 30 * rng.int(0, 18)) * 60_000;
    const minutes = who.role === 'coordinator' ? 60 : rng.pick([20, 30, 45]);
    const home = AT_HOME.has(what);
    const appt: Appointment = {
      resourceType: 'Appointment',
      id: `${pid}-rdv-${i + 1}`,
      meta: meta(startMs - rng.int(5, 40) * DAY),
      status: dayOffset < 0 ? 'fulfilled' : 'booked',
      description: what,
      start: isoInstant(startMs),
      end: isoInstant(startMs + minutes * 60_000),
      minutesDuration: minutes,
      participant: [
        { actor: { ...patientRef, display: `${s.sex === 'F' ? 'Mme' : 'M.'} ${s.usedName ?? s.birthName}` }, status: 'accepted' },
        { actor: roleRef(who), status: 'accepted' },
        {
          actor: home ? { display: 'Domicile du patient' } : { reference: `Location/${locationId(who.organization)}`, display: who.organization },
          status: 'accepted',
        },
      ],
    };
    out.push(appt);
  }

  // Tasks: 3–5, about half owned by the demo GP.
  const statuses = ['requested', 'accepted', 'in-progress', 'completed'] as const;
  const nTasks = rng.int(3, 5);
  const used = new Set<string>();
  for (let i = 0; i < nTasks; i++) {
    const owner = i < 2 || rng.chance(0.3) ? gp : rng.pick(members.filter((m) => m.id !== gp.id).length > 0 ? members.filter((m) => m.id !== gp.id) : members);
    const requesterPool = members.filter((m) => m.id !== owner.id);
    const requester = requesterPool.length > 0 ? rng.pick(requesterPool) : owner;
    let description = rng.pick(TASKS_FOR[owner.role]);
    if (used.has(description)) description = `${description} (relance)`;
    used.add(description);
    const status = i === 0 ? 'requested' : i === 1 ? rng.pick(['accepted', 'in-progress'] as const) : rng.pick(statuses);
    const authored = today - rng.int(1, 30) * DAY;
    const task: Task = {
      resourceType: 'Task',
      id: `${pid}-task-${i + 1}`,
      meta: meta(authored + (status === 'requested' ? 0 : DAY)),
      status,
      intent: 'order',
      priority: rng.chance(0.2) ? 'urgent' : 'routine',
      description,
      for: patientRef,
      authoredOn: isoInstant(authored + 9 * 3_600_000),
      requester: roleRef(requester),
      owner: roleRef(owner),
      restriction: { period: { end: isoDate(today + rng.int(-3, 21) * DAY) } },
    };
    out.push(task);
  }

  // Alerts: 0–2 Flags, some active; period.start before the reference date.
  const nFlags = s.entries > 100 ? rng.int(1, 2) : rng.int(0, 1);
  for (let i = 0; i < nFlags; i++) {
    const a = rng.pick(ALERTS);
    const author = members.find((m) => a.roles.includes(m.role)) ?? gp;
    const startMs = today - rng.int(0, 20) * DAY + rng.int(7, 18) * 3_600_000;
    const active = i === 0 || rng.chance(0.5);
    const flag: Flag = {
      resourceType: 'Flag',
      id: `${pid}-flag-${i + 1}`,
      meta: meta(startMs),
      status: active ? 'active' : 'inactive',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' }] }],
      code: { coding: [{ system: PLATFORM.alertKindCodeSystem, code: a.kind, display: ALERT_LABELS[a.kind] }], text: rng.pick(a.text) },
      subject: patientRef,
      period: { start: isoInstant(startMs), ...(active ? {} : { end: isoInstant(startMs + rng.int(1, 5) * DAY) }) },
      author: roleRef(author),
      // How urgent (R4 flag-priority extension), from the kind: no draw, so the seed's sequence is unchanged.
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/flag-priority', valueCodeableConcept: { coding: [ALERT_PRIORITY[a.kind]!] } }],
    };
    out.push(flag);
  }
  return out;
}

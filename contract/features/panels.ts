import { z } from 'zod';
import { AppointmentChangeSchema } from './agenda';
import { AuthorSchema, PatientSchema } from '../domain';
import { OutboxItemSchema } from '../outbox';

/**
 * The panels beside the journal (issue 5): current treatments, the PPS, the shared agenda, the
 * professional's tasks and the care team, plus the alerts (FHIR Flag) of the followed patients.
 * See docs/fhir-mapping.md for where each field comes from.
 */

/** A professional as a panel shows them: PractitionerRole id, "Dr Hélène DUFAU", role label. */
export const PersonRefSchema = AuthorSchema;
export type PersonRef = z.infer<typeof PersonRefSchema>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}/);

export const TreatmentSchema = z.object({
  id: z.string().min(1),
  /** DCI + strength + form, as written on the prescription: « Bisoprolol 2,5 mg, comprimé ». */
  medication: z.string().min(1),
  /** Posology in words: « 1 comprimé le matin ». */
  posology: z.string(),
  prescriber: PersonRefSchema.nullable(),
  /** Day the treatment started (ISO date). */
  startDate: Day.nullable(),
  /** Day it was stopped, for a stopped treatment. */
  endDate: Day.nullable(),
  status: z.enum(['active', 'stopped']),
  /** Why it is prescribed (« Insuffisance cardiaque ») or why it was stopped. */
  reason: z.string().optional(),
  version: z.string(),
  /**
   * The medication circuit of this line when the platform knows it (issue 14): last dispensing by
   * the pharmacy (MedicationDispense) and last dose validated as taken (MedicationAdministration).
   */
  circuit: z
    .object({
      /** ISO instant of the last completed dispensing, null: none known. */
      dispensedAt: z.string().nullable(),
      /** « problème » answer of the pharmacy (dispensing on hold), with its reason. */
      dispenseProblem: z.string().nullable(),
      /** ISO instant of the last validated administration, and who validated it. */
      administeredAt: z.string().nullable(),
      administeredBy: z.string().nullable(),
    })
    .optional(),
});
export type Treatment = z.infer<typeof TreatmentSchema>;

export const PpsObjectiveSchema = z.object({
  id: z.string(),
  description: z.string(),
  priority: z.enum(['high', 'medium', 'low']).nullable(),
  /** Evaluation criterion (HAS key point 8). */
  criterion: z.string().optional(),
  dueDate: Day.nullable(),
  /** FHIR Goal.achievementStatus code: in-progress, improving, worsening, achieved… */
  achievement: z.string().nullable(),
});
export type PpsObjective = z.infer<typeof PpsObjectiveSchema>;

export const PpsInterventionSchema = z.object({
  description: z.string(),
  performer: PersonRefSchema.nullable(),
  /** Scheduled end of the intervention (ISO date). */
  scheduledEnd: Day.nullable(),
  status: z.string(),
});
export type PpsIntervention = z.infer<typeof PpsInterventionSchema>;

/** Plan personnalisé de santé (HAS 2014 / PPCS 2019) as a FHIR CarePlan. */
export const PpsSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  coordinator: PersonRefSchema.nullable(),
  /** Problem situations (CarePlan.addresses → Condition). */
  problems: z.array(z.string()),
  /** The patient's own wishes and preferences, in their words. */
  preferences: z.array(z.string()),
  /** Shared objectives (Goal), high priority first: the high ones are the PPS priorities. */
  objectives: z.array(PpsObjectiveSchema),
  interventions: z.array(PpsInterventionSchema),
  /** Next review of the PPS (ISO date), from its scheduled « réévaluation » activity. */
  nextReview: Day.nullable(),
  /** What to do when the situation worsens (HAS key point 10). */
  alertProcedure: z.string().optional(),
  updatedAt: z.string().nullable(),
  version: z.string(),
});
export type Pps = z.infer<typeof PpsSchema>;

export const AppointmentSchema = z.object({
  id: z.string().min(1),
  /** ISO instants. */
  start: z.string(),
  end: z.string().nullable(),
  description: z.string(),
  professional: PersonRefSchema.nullable(),
  /** Where: a structure (« Centre hospitalier de Mont-de-Marsan ») or « Domicile du patient ». */
  location: z.string().nullable(),
  status: z.string(),
  /** Appointment.meta.versionId (If-Match of a move or a cancellation); absent for a booking not yet sent. */
  version: z.string().optional(),
  /** A change of this window laid over the platform's version (contract/features/agenda.ts). */
  change: AppointmentChangeSchema.optional(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;

export const TASK_STATUSES = ['requested', 'accepted', 'in-progress', 'completed'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** The only moves a professional may make on a task: forward, one step (or straight to done). */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  requested: ['accepted'],
  accepted: ['in-progress', 'completed'],
  'in-progress': ['completed'],
  completed: [],
};

export const CareTaskSchema = z.object({
  id: z.string().min(1),
  patientId: z.string(),
  status: TaskStatusSchema,
  description: z.string(),
  /** Due day (ISO date), from Task.restriction.period.end. */
  dueDate: Day.nullable(),
  owner: PersonRefSchema.nullable(),
  requester: PersonRefSchema.nullable(),
  authoredOn: z.string().nullable(),
  /** Owned by the signed-in professional (one of their PractitionerRoles). */
  mine: z.boolean(),
  version: z.string(),
  /** The journal entry the task comes from (Task.focus → DocumentReference), for « Voir le message ». */
  entryId: z.string().nullable().optional(),
});
export type CareTask = z.infer<typeof CareTaskSchema>;

export const CareTeamMemberSchema = z.object({
  /** PractitionerRole id. */
  id: z.string(),
  name: z.string(),
  roleLabel: z.string(),
  organization: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  /** The PPS coordinator. */
  coordinator: z.boolean(),
});
export type CareTeamMember = z.infer<typeof CareTeamMemberSchema>;

export const PatientPanelsSchema = z.object({
  patientId: z.string(),
  treatments: z.array(TreatmentSchema),
  pps: PpsSchema.nullable(),
  appointments: z.array(AppointmentSchema),
  tasks: z.array(CareTaskSchema),
  careTeam: z.array(CareTeamMemberSchema),
  /** The pharmacy's latest medication review (« bilan partagé de médication »), when the platform has one. */
  medicationReview: z
    .object({
      date: z.string(),
      author: z.string(),
      title: z.string(),
      /** Plain text only (the platform's XHTML is never rendered). */
      sections: z.array(z.object({ title: z.string(), text: z.string() })),
    })
    .nullable()
    .optional(),
  /** platform: fresh; store: the last answer kept locally, shown while the platform is unreachable. */
  source: z.enum(['platform', 'store']),
  /** ISO instant the platform gave this answer. */
  fetchedAt: z.string(),
});
export type PatientPanels = z.infer<typeof PatientPanelsSchema>;

export const ALERT_KINDS = ['degradation', 'non-observance', 'hospitalisation', 'new-document', 'other'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** FHIR flag-priority extension (PH / PM / PL): how urgent the author judged it; null when not said. */
export const ALERT_SEVERITIES = ['high', 'medium', 'low'] as const;
export const AlertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

/** Who took the alert into account on the platform, and when (issue 15: visible to the care team). */
export const AlertHandlingSchema = z.object({
  by: PersonRefSchema.nullable(),
  /** ISO instant. */
  at: z.string(),
  /** Sent from this window and not yet on the platform. */
  pending: z.boolean().optional(),
});
export type AlertHandling = z.infer<typeof AlertHandlingSchema>;

/** An alert (FHIR Flag) about a patient. */
export const AlertSchema = z.object({
  id: z.string().min(1),
  patientId: z.string(),
  kind: AlertKindSchema,
  /** The platform's text: « Dégradation de l'état général — dyspnée au moindre effort ». */
  text: z.string(),
  /** ISO date or instant the alert started (Flag.period.start). */
  start: z.string(),
  author: PersonRefSchema.nullable(),
  version: z.string(),
  /** Defaults keep alerts stored before issue 15 readable. */
  severity: AlertSeveritySchema.nullable().default(null),
  /** null: nobody took it into account yet (it stays in the strip and in the tray count). */
  handled: AlertHandlingSchema.nullable().default(null),
});
export type Alert = z.infer<typeof AlertSchema>;

export const PatientAlertSchema = z.object({
  patient: PatientSchema,
  alert: AlertSchema,
  /** Someone took it into account on the platform (alert.handled); opening the patient does not. */
  acknowledged: z.boolean(),
});
export type PatientAlert = z.infer<typeof PatientAlertSchema>;

const Id = z.string().min(1).max(64);

export const PANELS_API = {
  'patient.panels': { request: z.object({ patientId: Id }).strict(), response: PatientPanelsSchema },
  /** Moves one of the professional's tasks (If-Match on `version`; CONFLICT when it changed meanwhile). */
  'task.updateStatus': {
    request: z.object({ taskId: Id, status: TaskStatusSchema, version: z.string().max(64).optional() }).strict(),
    response: CareTaskSchema,
  },
  /** Active alerts of the followed patients, newest first. */
  'alerts.list': { request: z.object({}).strict(), response: z.array(PatientAlertSchema) },
  /** The active alerts of one patient, unhandled first (the strip under the identity banner). */
  'alerts.ofPatient': { request: z.object({ patientId: Id }).strict(), response: z.array(AlertSchema) },
  /** « Prendre en compte »: records on the platform who handled the alert and when (outbox kind alert-handle). */
  'alert.handle': { request: z.object({ patientId: Id, alertId: Id }).strict(), response: OutboxItemSchema },
} as const;

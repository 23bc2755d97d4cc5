import { z } from 'zod';
import { AuthorSchema, PatientSchema } from '../domain';

/**
 * The daily flow (issue 15, items 4–5): « À traiter » across every followed patient, and a task
 * created from a journal message. See docs/fhir-mapping.md « Daily flow ».
 */

const Id = z.string().min(1).max(64);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** What needs the professional: an answer to one of their messages, an unread entry, an active alert, an overdue task of theirs. */
export const TODO_KINDS = ['alert', 'reply', 'task', 'unread'] as const;
export const TodoKindSchema = z.enum(TODO_KINDS);
export type TodoKind = z.infer<typeof TodoKindSchema>;

export const TodoItemSchema = z.object({
  kind: TodoKindSchema,
  patient: PatientSchema,
  /** Journal entry id (reply, unread), Flag id (alert) or Task id (task). */
  id: z.string().min(1),
  /** The entry's or alert's text, or the task's description (platform text: shown as text, never HTML). */
  text: z.string(),
  /** ISO instant of the entry / alert; for a task, its due day. */
  date: z.string(),
  author: AuthorSchema.nullable(),
  /** A reply: the start of the professional's own message it answers. */
  parentText: z.string().optional(),
});
export type TodoItem = z.infer<typeof TodoItemSchema>;

export const TodoListSchema = z.object({
  /** Alerts first, then replies, overdue tasks, unread entries; newest first within each. */
  items: z.array(TodoItemSchema),
  /** Unread entries per followed patient id (the patient list's badges); patients with none are absent. */
  unreadByPatient: z.record(z.string(), z.number().int().nonnegative()),
  /** false: the platform could not be reached; alerts and tasks are missing, the rest is from the store. */
  complete: z.boolean(),
  generatedAt: z.string(),
});
export type TodoList = z.infer<typeof TodoListSchema>;

export const TaskFromEntryRequestSchema = z
  .object({
    patientId: Id,
    /** The message the task comes from (Task.focus → its DocumentReference). */
    entryId: Id,
    /** PractitionerRole id of the care-team member the task is assigned to (Task.owner). */
    ownerId: Id,
    description: z.string().trim().min(1).max(500),
    /** Due day (Task.restriction.period.end); not before today. */
    dueDate: Day,
  })
  .strict();
export type TaskFromEntryRequest = z.infer<typeof TaskFromEntryRequestSchema>;

export const TaskFromEntryResultSchema = z.object({
  /** The outbox item (kind task-create) that will write the Task. */
  clientId: z.string(),
  status: z.string(),
});

export const FLOW_API = {
  /**
   * « À traiter »: syncs the followed patients' journals (unless `sync: false`, e.g. right after
   * the background pass did), then lists what needs the professional. `platform: false`: only
   * the store changed (a patient left, its entries read): no sync, and the alerts and tasks of
   * the last complete list are reused instead of searched again (asked when there is none).
   */
  'todo.list': { request: z.object({ sync: z.boolean().optional(), platform: z.boolean().optional() }).strict(), response: TodoListSchema },
  /** « Créer une tâche » from a message: enqueues a FHIR Task (focus = the message). */
  'task.createFromEntry': { request: TaskFromEntryRequestSchema, response: TaskFromEntryResultSchema },
} as const;

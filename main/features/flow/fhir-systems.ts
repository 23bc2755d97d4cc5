/** Local code systems of the daily flow (docs/fhir-mapping.md « Daily flow »). */
export const FLOW = {
  /** Task.code of a task created from a journal message. */
  taskOrigin: { system: 'https://relais.example/fhir/CodeSystem/task-origin', code: 'journal-message', display: 'Tâche issue d’un message du cahier de liaison' },
} as const;

/** The identifier of the Task a task-create row writes (If-None-Exist): the row's client id. */
export const OPEN_TASK_STATUSES = ['requested', 'accepted', 'in-progress'] as const;

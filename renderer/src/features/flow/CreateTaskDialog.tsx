import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';
import { todayKey } from '../../ui/dates';
import type { CareTeamMember } from '../../contract';
import type { FlowController } from './controller';
import { todoPatientName } from './TodoView';

const t = fr.flow.task;
type Field = 'ownerId' | 'description' | 'dueDate';

/** « Créer une tâche » on a journal message: assignee (care team), what to do, due day. */
export function CreateTaskDialog({ controller, selfName }: { controller: FlowController; selfName: string | null }) {
  const { taskFor } = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <FormDialog open={taskFor !== null} testId="create-task-dialog" onClose={controller.closeTaskDialog}>
      {(titleId) => <TaskForm controller={controller} selfName={selfName} titleId={titleId} />}
    </FormDialog>
  );
}

/** The signed-in professional in the care team (« Dr Hélène DUFAU » for Hélène DUFAU): marked « (moi) ». */
function isSelf(m: CareTeamMember, selfName: string | null): boolean {
  return selfName !== null && m.name.toLocaleLowerCase('fr-FR').endsWith(selfName.toLocaleLowerCase('fr-FR'));
}

/** The first words of the message as the task's default text. */
function defaultDescription(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}

function TaskForm({ controller, selfName, titleId }: { controller: FlowController; selfName: string | null; titleId: string }) {
  const { taskFor, taskSubmitting, taskError } = useSyncExternalStore(controller.subscribe, controller.getState);
  const id = useId();
  const team: CareTeamMember[] = controller.careTeam() ?? [];
  const [ownerId, setOwnerId] = useState('');
  const [description, setDescription] = useState(() => defaultDescription(taskFor?.entry.text ?? ''));
  const [dueDate, setDueDate] = useState(() => todayKey());
  const serverField: Field | null = taskError?.field === 'ownerId' || taskError?.field === 'description' || taskError?.field === 'dueDate' ? taskError.field : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error: taskError });
  if (!taskFor) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!ownerId) problems.ownerId = t.required;
    if (!description.trim()) problems.description = t.required;
    if (!dueDate) problems.dueDate = t.required;
    else if (dueDate < todayKey()) problems.dueDate = t.pastDate;
    if (!accept(problems, ['ownerId', 'description', 'dueDate'])) return;
    await controller.createTask({ ownerId, description: description.trim(), dueDate });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="create-task-form">
      <h2 id={titleId} className="agenda-dialog-title">
        {t.title} — {todoPatientName(taskFor.patient)}
      </h2>
      {taskError && !serverField && (
        <p className="form-error form-error--block" role="alert">
          {errorMessage(taskError.code)}
        </p>
      )}
      <blockquote className="create-task-source" aria-label={t.source}>
        <span className="muted">{taskFor.entry.author.name} · </span>
        {defaultDescription(taskFor.entry.text).slice(0, 160)}
      </blockquote>
      {team.length === 0 && <p className="form-hint">{t.noTeam}</p>}
      <label className="form-field">
        <span>{t.assignee}</span>
        <select
          id={`${id}-ownerId`}
          value={ownerId}
          onChange={(e) => {
            setOwnerId(e.target.value);
            edited('ownerId');
          }}
          aria-invalid={!!fieldError('ownerId')}
          aria-describedby={describe('ownerId')}
          data-testid="task-assignee"
        >
          <option value="">{t.chooseAssignee}</option>
          {team.map((m) => (
            <option key={m.id} value={m.id}>
              {`${m.name} — ${m.roleLabel}${isSelf(m, selfName) ? t.me : ''}`}
            </option>
          ))}
        </select>
        {errorText('ownerId')}
      </label>
      <label className="form-field">
        <span>{t.description}</span>
        <textarea
          id={`${id}-description`}
          rows={2}
          maxLength={500}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            edited('description');
          }}
          aria-invalid={!!fieldError('description')}
          aria-describedby={describe('description')}
          data-testid="task-description"
        />
        {errorText('description')}
      </label>
      <label className="form-field form-field--narrow">
        <span>{t.dueDate}</span>
        <input
          id={`${id}-dueDate`}
          type="date"
          value={dueDate}
          min={todayKey()}
          onChange={(e) => {
            setDueDate(e.target.value);
            edited('dueDate');
          }}
          aria-invalid={!!fieldError('dueDate')}
          aria-describedby={describe('dueDate')}
          data-testid="task-due"
        />
        {errorText('dueDate')}
      </label>
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={controller.closeTaskDialog}>
          {t.cancel}
        </button>
        <button type="submit" className="button" disabled={taskSubmitting} data-testid="task-submit">
          {taskSubmitting ? t.submitting : t.submit}
        </button>
      </div>
    </form>
  );
}

/** The notice after a task was enqueued. */
export function TaskCreatedNotice({ controller }: { controller: FlowController }) {
  const { taskCreatedFor } = useSyncExternalStore(controller.subscribe, controller.getState);
  if (taskCreatedFor === null) return null;
  return (
    <p className="task-created-notice" role="status" data-testid="task-created">
      {t.created(taskCreatedFor)}
      <button type="button" className="button button-small button-quiet" onClick={controller.dismissNotice} aria-label={fr.flow.quickReplies.cancel}>
        ×
      </button>
    </p>
  );
}

/** Unread count of one patient in the patient list. */
export function UnreadBadge({ controller, patientId }: { controller: FlowController; patientId: string }) {
  const { todo } = useSyncExternalStore(controller.subscribe, controller.getState);
  const n = todo?.unreadByPatient[patientId] ?? 0;
  if (n === 0) return null;
  return (
    <span className="unread-count" data-testid="unread-badge" aria-label={fr.flow.todo.unreadBadge(n)} title={fr.flow.todo.unreadBadge(n)}>
      {n}
    </span>
  );
}

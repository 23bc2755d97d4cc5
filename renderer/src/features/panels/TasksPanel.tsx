import type { CareTask, TaskStatus } from '../../contract';
import { fr } from '../../i18n/fr';
import { fmtDay, todayKey } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.panels.tasks;

const NEXT: Partial<Record<TaskStatus, { status: TaskStatus; label: string }>> = {
  requested: { status: 'accepted', label: t.accept },
  accepted: { status: 'in-progress', label: t.start },
  'in-progress': { status: 'completed', label: t.complete },
};

function TaskRow({
  task,
  pending,
  conflict,
  onMove,
  onShowEntry,
}: {
  task: CareTask;
  pending: boolean;
  conflict: boolean;
  onMove?: (task: CareTask, status: TaskStatus) => void;
  onShowEntry?: (entryId: string) => void;
}) {
  const late = task.status !== 'completed' && task.dueDate !== null && task.dueDate < todayKey();
  const next = NEXT[task.status];
  return (
    <li className={`task task--${task.status}`} data-testid="task" data-task-id={task.id} data-status={task.status}>
      <span className="task-head">
        <span className={`task-status task-status--${task.status}`}>{t.status[task.status]}</span>
        <span className="task-text">{task.description}</span>
      </span>
      <span className="panel-meta">
        {[
          task.status === 'completed' || !task.dueDate ? null : late ? null : t.due(fmtDay(task.dueDate)),
          task.mine ? (task.requester ? t.from(task.requester.name) : null) : task.owner ? t.owner(`${task.owner.name}, ${task.owner.roleLabel}`) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
      {late && <span className="task-late">{t.overdue(fmtDay(task.dueDate))}</span>}
      {task.entryId && onShowEntry && (
        <span className="task-actions">
          <button type="button" className="button button-small button-quiet task-source" data-testid="task-show-entry" aria-label={t.showEntryLabel(task.description)} onClick={() => onShowEntry(task.entryId!)}>
            {t.showEntry}
          </button>
        </span>
      )}
      {conflict && (
        <span className="task-conflict" role="alert">
          {t.conflict}
        </span>
      )}
      {onMove && next && (
        <span className="task-actions">
          <button
            type="button"
            className="button button-small"
            disabled={pending}
            aria-label={t.actionLabel(next.label, task.description)}
            onClick={() => onMove(task, next.status)}
          >
            {pending ? t.saving : next.label}
          </button>
          {task.status === 'accepted' && (
            <button
              type="button"
              className="button button-small button-quiet"
              disabled={pending}
              aria-label={t.actionLabel(t.complete, task.description)}
              onClick={() => onMove(task, 'completed')}
            >
              {t.complete}
            </button>
          )}
        </span>
      )}
    </li>
  );
}

export function TasksPanel({
  tasks,
  pendingTaskId,
  conflictTaskId,
  onMove,
  onShowEntry,
  hidden,
}: {
  tasks: CareTask[];
  pendingTaskId: string | null;
  conflictTaskId: string | null;
  onMove: (task: CareTask, status: TaskStatus) => void;
  /** « Voir le message »: the journal scrolls to the entry the task comes from (issue 15). */
  onShowEntry?: (entryId: string) => void;
  hidden?: boolean;
}) {
  const mine = tasks.filter((x) => x.mine);
  const others = tasks.filter((x) => !x.mine && x.status !== 'completed');
  const open = mine.filter((x) => x.status !== 'completed').length;
  return (
    <Panel id="tasks" title={t.title} count={open} hidden={hidden}>
      {mine.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {mine.map((x) => (
            <TaskRow key={x.id} task={x} pending={pendingTaskId === x.id} conflict={conflictTaskId === x.id} onMove={onMove} {...(onShowEntry ? { onShowEntry } : {})} />
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <details className="pps-more">
          <summary>{t.others(others.length)}</summary>
          <ul className="panel-list">
            {others.map((x) => (
              <TaskRow key={x.id} task={x} pending={false} conflict={false} {...(onShowEntry ? { onShowEntry } : {})} />
            ))}
          </ul>
        </details>
      )}
    </Panel>
  );
}

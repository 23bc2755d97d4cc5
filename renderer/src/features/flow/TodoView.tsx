import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Patient, TodoItem, TodoKind } from '../../contract';
import { TODO_KINDS } from '../../contract';
import { formatBirthDate, formatDateTime, formatTime } from '../../format';
import { errorMessage, fr } from '../../i18n/fr';
import type { FlowController } from './controller';
import './flow.css';

const t = fr.flow.todo;

/** « DUPONT Jeanne, 12/03/1941 »: birth name, first name, birth date — the patient named in full. */
export function todoPatientName(p: Patient): string {
  return `${p.birthName.toLocaleUpperCase('fr-FR')} ${p.firstNames[0] ?? ''}, ${formatBirthDate(p.birthDate)}`;
}

function dateOf(item: TodoItem): string {
  if (item.kind === 'task') return t.dueSince(formatBirthDate(item.date));
  const d = new Date(item.date);
  return Number.isNaN(d.getTime()) ? '' : formatDateTime(d);
}

function TodoRow({ item, onOpen }: { item: TodoItem; onOpen: (p: Patient) => void }) {
  const name = todoPatientName(item.patient);
  const text = item.kind === 'alert' && item.text === '' ? t.alertWithoutText : item.text;
  return (
    <li className={`todo-item todo-item--${item.kind}`} data-testid="todo-item" data-kind={item.kind} data-patient-id={item.patient.id}>
      <button type="button" className="todo-open" onClick={() => onOpen(item.patient)} aria-label={`${t.openPatient(name)} — ${t.sections[item.kind]}`}>
        <span className="todo-patient">{name}</span>
        <span className="todo-meta">
          {dateOf(item)}
          {item.author && <> · {t.from(item.author.name)}</>}
        </span>
        {item.parentText && <span className="todo-parent">{t.inReplyTo(item.parentText)}</span>}
        <span className="todo-text">{text}</span>
      </button>
    </li>
  );
}

/** Items shown per section before « Afficher les N autres ». */
const FOLDED = 5;

function TodoSection({ kind, items, onOpen }: { kind: TodoKind; items: TodoItem[]; onOpen: (p: Patient) => void }) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FOLDED);
  return (
    <section id={`todo-${kind}`} className={`todo-section todo-section--${kind}`} aria-label={t.sections[kind]} data-testid={`todo-section-${kind}`}>
      <h3 className="todo-section-title">
        {t.sections[kind]} <span className="todo-section-count">{items.length}</span>
      </h3>
      <ul className="todo-list" aria-label={t.sections[kind]}>
        {shown.map((item) => (
          <TodoRow key={`${item.kind}-${item.id}`} item={item} onOpen={onOpen} />
        ))}
      </ul>
      {items.length > FOLDED && (
        <button type="button" className="button button-small button-quiet todo-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t.fold : t.showAll(items.length - FOLDED)}
        </button>
      )}
    </section>
  );
}

/**
 * « À traiter »: what needs the professional across every followed patient, by section (active
 * alerts, answers to their messages, their overdue tasks, unread entries). Each item opens its
 * patient. Reloaded (journals synced) when shown and on « Actualiser ».
 */
export function TodoView({ controller, onOpenPatient, onClose }: { controller: FlowController; onOpenPatient: (p: Patient) => void; onClose: () => void }) {
  const { todo, loading, error } = useSyncExternalStore(controller.subscribe, controller.getState);
  useEffect(() => {
    void controller.load();
  }, [controller]);
  const byKind = (kind: TodoKind) => (todo?.items ?? []).filter((i) => i.kind === kind);
  return (
    <section className="todo-view" aria-labelledby="todo-heading" data-testid="todo-view" data-loading={loading ? 'true' : 'false'}>
      <div className="todo-bar">
        <h2 className="section-title" id="todo-heading">
          {t.heading}
        </h2>
        <button type="button" className="button button-small" onClick={() => void controller.load()} disabled={loading}>
          {t.refresh}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <p className="todo-status muted" role="status">
        {loading ? t.loading : todo ? t.updatedAt(formatTime(new Date(todo.generatedAt))) : ''}
      </p>
      {error && <p className="todo-error" role="alert">{errorMessage(error.code)}</p>}
      {todo && !todo.complete && <p className="todo-incomplete" role="status">{t.incomplete}</p>}
      {todo && todo.items.length === 0 && !loading && <p className="todo-empty">{t.empty}</p>}
      {todo && todo.items.length > 0 && (
        <p className="todo-summary" data-testid="todo-summary">
          {TODO_KINDS.filter((k) => byKind(k).length > 0).map((k, i) => (
            <span key={k}>
              {i > 0 && ' · '}
              <a href={`#todo-${k}`}>{t.summary(k, byKind(k).length)}</a>
            </span>
          ))}
        </p>
      )}
      {TODO_KINDS.map((kind) => {
        const items = byKind(kind);
        if (items.length === 0) return null;
        return <TodoSection key={kind} kind={kind} items={items} onOpen={onOpenPatient} />;
      })}
    </section>
  );
}

/** The « À traiter » button (header of the patient list), with how many items wait. */
export function TodoButton({ controller, open, onToggle }: { controller: FlowController; open: boolean; onToggle: () => void }) {
  const { todo } = useSyncExternalStore(controller.subscribe, controller.getState);
  const n = todo?.items.length ?? 0;
  return (
    <button
      type="button"
      className={`todo-button${open ? ' is-open' : ''}`}
      aria-pressed={open}
      title={t.openTitle}
      onClick={onToggle}
      data-testid="todo-button"
    >
      {t.open}
      {todo && n > 0 && <span className="todo-button-count" data-testid="todo-count">{n}</span>}
    </button>
  );
}

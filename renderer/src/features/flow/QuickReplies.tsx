import { useState } from 'react';
import { fr } from '../../i18n/fr';
import './flow.css';

const t = fr.flow.quickReplies;
const KEY = 'relais.quickReplies';
const MAX = 12;

/** The professional's quick replies on this machine (no patient data: their own short phrases). */
export function loadQuickReplies(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string[] {
  try {
    const raw = storage?.getItem(KEY);
    const list: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return list.slice(0, MAX);
  } catch {
    // A damaged entry: back to the defaults.
  }
  return [...t.defaults];
}

/** One phrase a line; blanks and duplicates dropped, each at most 200 characters. */
export function parseQuickReplies(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const s = line.trim().slice(0, 200);
    if (s && !out.includes(s)) out.push(s);
  }
  return out.slice(0, MAX);
}

/**
 * « Vu, merci », « RDV pris »…: one click puts the phrase in the reply being written (it is not
 * sent: the professional still presses « Publier »). The list is editable and kept on this machine.
 */
export function QuickReplies({ onPick }: { onPick: (text: string) => void }) {
  const [list, setList] = useState(() => loadQuickReplies());
  const [editing, setEditing] = useState<string | null>(null);
  if (editing !== null) {
    return (
      <div className="quick-replies quick-replies--edit" data-testid="quick-replies">
        <label className="form-field">
          <span>{t.editTitle}</span>
          <textarea rows={4} value={editing} onChange={(e) => setEditing(e.target.value)} data-testid="quick-replies-edit" />
        </label>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            const next = parseQuickReplies(editing);
            globalThis.localStorage?.setItem(KEY, JSON.stringify(next));
            setList(next);
            setEditing(null);
          }}
        >
          {t.save}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => setEditing(null)}>
          {t.cancel}
        </button>
      </div>
    );
  }
  return (
    <div className="quick-replies" role="group" aria-label={t.label} data-testid="quick-replies">
      {list.map((phrase) => (
        <button key={phrase} type="button" className="quick-reply" onClick={() => onPick(phrase)}>
          {phrase}
        </button>
      ))}
      <button type="button" className="button button-small button-quiet" onClick={() => setEditing(list.join('\n'))}>
        {t.edit}
      </button>
    </div>
  );
}

/** « Urgent » when writing: the entry carries the cahier de liaison's emergency flag. */
export function UrgentToggle({ checked, onChange }: { checked: boolean; onChange: (urgent: boolean) => void }) {
  return (
    <label className={`composer-urgent${checked ? ' is-on' : ''}`} title={fr.flow.composer.urgentTitle}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="composer-urgent" /> {fr.flow.composer.urgent}
    </label>
  );
}

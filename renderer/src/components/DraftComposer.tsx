import { useId } from 'react';
import { formatDateTime, formatTime } from '../format';
import { fr } from '../i18n/fr';
import type { DraftState } from '../state/store';

/** The note being written for the open patient, saved locally as it is typed and kept per patient. */
export function DraftComposer({
  draft,
  onChange,
  onBlur,
}: {
  draft: DraftState;
  onChange: (text: string) => void;
  onBlur: () => void;
}) {
  const id = useId();
  const statusId = `${id}-status`;
  let status: string;
  if (draft.loading) status = fr.app.loading;
  else if (draft.savedAt === null) status = fr.draft.saving;
  else if (draft.restoredFrom !== null && draft.savedAt === draft.restoredFrom) {
    status = fr.draft.restored(formatDateTime(new Date(draft.restoredFrom)));
  } else if (draft.text === '') status = fr.draft.empty;
  else status = fr.draft.savedAt(formatTime(new Date(draft.savedAt)));
  return (
    <section className="draft" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={id} className="draft-label">
        {fr.draft.label}
      </label>
      <textarea
        id={id}
        className="draft-text"
        data-testid="draft-text"
        rows={2}
        value={draft.text}
        placeholder={fr.draft.placeholder}
        disabled={draft.loading}
        aria-describedby={statusId}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      <p id={statusId} className="draft-status muted" data-testid="draft-status" aria-live="polite">
        {status}
      </p>
    </section>
  );
}

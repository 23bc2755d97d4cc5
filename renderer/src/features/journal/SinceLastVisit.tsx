import type { JournalEntry } from '../../contract';
import { fr } from '../../i18n/fr';
import './conversation.css';

/**
 * The entry above which « Depuis votre dernière visite » goes: the newest one already read, when
 * newer ones are unread (entries newest first; their unread marks stay for the whole visit).
 * null when nothing is unread, or when everything loaded is.
 */
export function sinceLastVisitId(entries: readonly JournalEntry[]): string | null {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i - 1]!.unread && !entries[i]!.unread) return entries[i]!.id;
  }
  return null;
}

export function SinceLastVisit() {
  return (
    <p className="since-last-visit" data-testid="since-last-visit" role="separator" aria-label={fr.flow.journal.sinceLastVisit}>
      <span>
        <span aria-hidden="true">{fr.flow.journal.sinceLastVisitArrow} </span>
        {fr.flow.journal.sinceLastVisit}
      </span>
    </p>
  );
}

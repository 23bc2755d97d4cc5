import { formatCount as count } from '../../format';
import { fr } from '../../i18n/fr';
import type { JournalState } from './controller';

/**
 * While the older entries of a patient opened for the first time are being fetched: a thin
 * progress bar under the journal's title (the newest page is already on screen). Gone when done.
 */
export function BackfillProgress({ journal }: { journal: JournalState }) {
  const b = journal.backfill;
  if (!b) return null;
  const text = fr.backfill.progress(count(b.stored), b.total === null ? null : count(b.total));
  return (
    <div className="backfill-progress" data-testid="journal-backfill" role="status" aria-live="polite">
      {b.total !== null ? (
        <progress aria-label={fr.backfill.label} max={Math.max(b.total, 1)} value={Math.min(b.stored, b.total)} />
      ) : (
        <progress aria-label={fr.backfill.label} />
      )}
      <span>{text}</span>
    </div>
  );
}

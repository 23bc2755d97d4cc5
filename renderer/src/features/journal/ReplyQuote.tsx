import type { JournalEntry } from '../../contract';
import { fr } from '../../i18n/fr';
import './conversation.css';

/**
 * What a reply answers: the author and first words of that entry (the store quotes it, see
 * JournalRepository.quoteParents), as a link that scrolls to it. Platform text, shown as text.
 */
export function ReplyQuote({ entry, onJump }: { entry: JournalEntry; onJump?: (entryId: string) => void }) {
  const q = entry.replyQuote;
  const parentId = entry.replyTo;
  if (!parentId) return null;
  const label = q ? fr.flow.journal.replyTo(q.author) : fr.flow.journal.replyToUnknown;
  const body = (
    <>
      <span className="reply-quote-author">{label}</span>
      {q?.text && <span className="reply-quote-text"> « {q.text} »</span>}
    </>
  );
  return (
    <blockquote className="reply-quote" data-testid="reply-quote" data-parent-id={parentId}>
      {onJump ? (
        <button type="button" className="reply-quote-link" onClick={() => onJump(parentId)} title={fr.flow.journal.showParent}>
          {body}
        </button>
      ) : (
        body
      )}
    </blockquote>
  );
}

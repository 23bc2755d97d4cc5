import { memo } from 'react';
import type { Attachment, JournalEntry } from '../../contract';
import { formatFullDateTime, formatTime } from '../../format';
import { fr } from '../../i18n/fr';
import { KindIcon } from './KindIcon';
import type { ViewedMedia } from '../../ui/MediaViewer';

interface Props {
  entry: JournalEntry;
  mediaUrl: (src: string) => string;
  onOpenMedia: (media: ViewedMedia) => void;
  onTogglePin?: (entryId: string, pinned: boolean) => void;
  /** Answer this entry in the composer (relatesTo appends). */
  onReply?: (entry: JournalEntry) => void;
  /** « Prendre en compte » on an alert (docs/outbox.md). */
  onAcknowledge?: (entry: JournalEntry) => void;
}

function AttachmentView({ attachment, mediaUrl, onOpenMedia }: { attachment: Attachment } & Pick<Props, 'mediaUrl' | 'onOpenMedia'>) {
  const src = mediaUrl(attachment.url);
  const title = attachment.title || fr.attachment.untitled;
  const type = attachment.contentType.toLowerCase();
  const size = attachment.size !== undefined ? fr.attachment.size(attachment.size) : null;
  if (type.startsWith('image/')) {
    return (
      <li className="attachment attachment--image">
        <button
          type="button"
          className="thumb"
          onClick={() => onOpenMedia({ kind: 'image', src, title })}
          aria-label={fr.attachment.openImage(title)}
        >
          <img src={src} alt={attachment.title || fr.attachment.image} loading="lazy" decoding="async" width={160} height={120} />
        </button>
      </li>
    );
  }
  if (type.startsWith('audio/')) {
    return (
      <li className="attachment attachment--audio">
        <audio controls preload="none" src={src} aria-label={fr.attachment.audio(title)} />
        <span className="attachment-title">{title}</span>
      </li>
    );
  }
  const isPdf = type === 'application/pdf';
  return (
    <li className="attachment attachment--document">
      <span className="attachment-title">
        {title}
        {size && <span className="muted"> · {size}</span>}
      </span>
      {isPdf && (
        <button
          type="button"
          className="button button-small"
          onClick={() => onOpenMedia({ kind: 'pdf', src, title })}
          aria-label={fr.attachment.viewDocument(title)}
        >
          {fr.attachment.view}
        </button>
      )}
      <a className="button button-small button-quiet" href={src} download={attachment.title || true} aria-label={fr.attachment.downloadDocument(title)}>
        {fr.attachment.download}
      </a>
    </li>
  );
}

/** One journal entry. Memoised: the virtualised list re-renders rows on every scroll frame. */
export const JournalEntryView = memo(function JournalEntryView({ entry, mediaUrl, onOpenMedia, onTogglePin, onReply, onAcknowledge }: Props) {
  const date = new Date(entry.date);
  const valid = !Number.isNaN(date.getTime());
  const alert = entry.kind === 'alert' || entry.urgent;
  return (
    <article
      className={`entry entry--${entry.kind}${alert ? ' entry--alert' : ''}${entry.unread ? ' entry--unread' : ''}${entry.pinned ? ' entry--pinned' : ''}${entry.pending ? ' entry--pending' : ''}`}
      data-testid="journal-entry"
      data-kind={entry.kind}
      data-entry-id={entry.id}
      data-pending={entry.pending ? 'true' : undefined}
    >
      <div className="entry-head">
        <span className="entry-kind">
          <KindIcon kind={entry.kind} />
          {fr.journal.kinds[entry.kind]}
        </span>
        {entry.unread && (
          <span className="badge badge-unread" data-testid="unread-marker">
            {fr.entryActions.unread}
          </span>
        )}
        {entry.pending && (
          <span className="badge badge-pending" title={fr.outbox.pendingEntryTitle} data-testid="pending-marker">
            {fr.outbox.pendingEntry}
          </span>
        )}
        {entry.urgent && <span className="badge badge-urgent">{fr.journal.urgent}</span>}
        {entry.replyTo && <span className="entry-reply">{fr.journal.reply}</span>}
        <span className="entry-author">
          <span className="entry-author-name">{entry.author.name}</span>
          <span className="entry-author-role">{entry.author.roleLabel}</span>
        </span>
        {valid && (
          <time className="entry-time" dateTime={entry.date} title={formatFullDateTime(date)}>
            {formatTime(date)}
          </time>
        )}
        {onTogglePin && !entry.pending && (
          <button
            type="button"
            className={`pin-button${entry.pinned ? ' is-pinned' : ''}`}
            aria-pressed={entry.pinned === true}
            aria-label={entry.pinned ? fr.entryActions.unpinLabel(entry.author.name) : fr.entryActions.pinLabel(entry.author.name)}
            onClick={() => onTogglePin(entry.id, !entry.pinned)}
            data-testid="pin-button"
          >
            {entry.pinned ? fr.entryActions.pinned : fr.entryActions.pin}
          </button>
        )}
      </div>
      {entry.text && <p className="entry-text">{entry.text}</p>}
      {entry.attachments.length > 0 && (
        <ul className="attachments">
          {entry.attachments.map((a, i) => (
            <AttachmentView key={`${a.url}-${i}`} attachment={a} mediaUrl={mediaUrl} onOpenMedia={onOpenMedia} />
          ))}
        </ul>
      )}
      {!entry.pending && (onReply || (alert && onAcknowledge)) && (
        <div className="entry-actions">
          {alert && onAcknowledge && (
            <button
              type="button"
              className="button button-small"
              title={fr.composer.acknowledgeTitle}
              onClick={() => onAcknowledge(entry)}
              data-testid="acknowledge-button"
            >
              {fr.composer.acknowledge}
            </button>
          )}
          {onReply && (
            <button type="button" className="button button-small button-quiet" onClick={() => onReply(entry)} data-testid="reply-button">
              {fr.composer.reply}
            </button>
          )}
        </div>
      )}
    </article>
  );
});

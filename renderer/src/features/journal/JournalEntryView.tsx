import { memo, useState } from 'react';
import type { Attachment, JournalEntry } from '../../contract';
import { formatFullDateTime, formatRelativeStamp } from '../../format';
import { useToday } from '../../today';
import { fr } from '../../i18n/fr';
import { KindIcon } from './KindIcon';
import type { ViewedMedia } from '../../ui/MediaViewer';
import { VoiceNote } from './VoiceNote';
import { ReplyQuote } from './ReplyQuote';

interface Props {
  entry: JournalEntry;
  mediaUrl: (src: string) => string;
  onOpenMedia: (media: ViewedMedia) => void;
  onTogglePin?: (entryId: string, pinned: boolean) => void;
  /** Answer this entry in the composer (relatesTo appends). */
  onReply?: (entry: JournalEntry) => void;
  /** « Prendre en compte » on an alert (docs/outbox.md). */
  onAcknowledge?: (entry: JournalEntry) => void;
  /** « Créer une tâche » from this message (issue 15). */
  onCreateTask?: (entry: JournalEntry) => void;
  /** Scrolls to the entry a reply answers. */
  onJumpTo?: (entryId: string) => void;
}

/**
 * What the window shows inline, from the declared type; the host serves the bytes only as what
 * they prove to be (main/platform/attachment-policy.ts), so a lying label shows nothing (the image
 * fails and falls back to a download). SVG is not here: it can carry script.
 */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** A file Relais does not show: « Télécharger » and why (issue 11). */
function DownloadOnly({ src, title, size, why, fileName }: { src: string; title: string; size: string | null; why: string; fileName: string | true }) {
  return (
    <li className="attachment attachment--document" data-testid="attachment-download-only">
      <span className="attachment-title">
        {title}
        {size && <span className="muted"> · {size}</span>}
      </span>
      <a className="button button-small button-quiet" href={src} download={fileName} aria-label={fr.attachment.downloadDocument(title)}>
        {fr.attachment.download}
      </a>
      <span className="muted attachment-why">{why}</span>
    </li>
  );
}

function AttachmentView({ attachment, mediaUrl, onOpenMedia, by }: { attachment: Attachment; by?: { author: string; date: string } } & Pick<Props, 'mediaUrl' | 'onOpenMedia'>) {
  const [broken, setBroken] = useState(false);
  const src = mediaUrl(attachment.url);
  const title = attachment.title || fr.attachment.untitled;
  const fileName = attachment.title || true;
  const type = attachment.contentType.toLowerCase().split(';')[0]!.trim();
  const size = attachment.size !== undefined ? fr.attachment.size(attachment.size) : null;
  if (INLINE_IMAGES.has(type) && !broken) {
    return (
      <li className="attachment attachment--image">
        <button
          type="button"
          className="thumb"
          onClick={() => onOpenMedia({ kind: 'image', src, title, ...(by ?? {}) })}
          aria-label={fr.attachment.openImage(title)}
        >
          <img src={src} alt={attachment.title || fr.attachment.image} loading="lazy" decoding="async" width={160} height={120} onError={() => setBroken(true)} />
        </button>
      </li>
    );
  }
  if (type.startsWith('audio/') && !broken) {
    return (
      <li className="attachment attachment--audio">
        <VoiceNote src={src} title={title} onError={() => setBroken(true)} />
        <span className="attachment-title">{title}</span>
      </li>
    );
  }
  const why = broken && INLINE_IMAGES.has(type) ? fr.attachment.notAnImage : type === 'application/pdf' ? fr.attachment.pdfNotShown : fr.attachment.notShown;
  return <DownloadOnly src={src} title={title} size={size} why={why} fileName={fileName} />;
}

/** One journal entry. Memoised: the virtualised list re-renders rows on every scroll frame. */
export const JournalEntryView = memo(function JournalEntryView({ entry, mediaUrl, onOpenMedia, onTogglePin, onReply, onAcknowledge, onCreateTask, onJumpTo }: Props) {
  const today = useToday();
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
        {/* Two lines in a narrow journal (what and when / who and « Épingler »); one line when wide (CSS: display: contents). */}
        <span className="entry-head-line">
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
          {valid && (
            <time className="entry-time" dateTime={entry.date} title={formatFullDateTime(date)}>
              {formatRelativeStamp(date, today, fr.layout.dates)}
            </time>
          )}
        </span>
        <span className="entry-head-line">
          <span className="entry-author">
            <span className="entry-author-name">{entry.author.name}</span>
            <span className="entry-author-role">{entry.author.roleLabel}</span>
          </span>
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
        </span>
      </div>
      {entry.replyTo && <ReplyQuote entry={entry} {...(onJumpTo ? { onJump: onJumpTo } : {})} />}
      {entry.text && <p className="entry-text">{entry.text}</p>}
      {entry.attachments.length > 0 && (
        <ul className="attachments">
          {entry.attachments.map((a, i) => (
            <AttachmentView key={`${a.url}-${i}`} attachment={a} mediaUrl={mediaUrl} onOpenMedia={onOpenMedia} by={{ author: entry.author.name, date: entry.date }} />
          ))}
        </ul>
      )}
      {!entry.pending && (onReply || onCreateTask || (alert && onAcknowledge)) && (
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
          {onCreateTask && (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => onCreateTask(entry)}
              aria-label={fr.flow.task.createLabel(entry.author.name)}
              data-testid="create-task-button"
            >
              {fr.flow.task.create}
            </button>
          )}
        </div>
      )}
    </article>
  );
});

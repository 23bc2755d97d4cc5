import { useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { MAX_ATTACHMENT_BYTES, type Confidentiality, type JournalEntry, type JournalPostRequest, type OutboxItem, type OutboxKind, type PostAttachment, type PostKind } from '../../contract';
import { formatDateTime, formatTime } from '../../format';
import { readAsBase64 } from '../../hooks/useAttachments';
import { errorMessage, fr } from '../../i18n/fr';
import type { DraftState } from './draft-controller';
import { QuickReplies, UrgentToggle } from '../flow/QuickReplies';
import { AudienceChoice } from './AudienceChoice';
import './audience.css';

interface PendingFile extends PostAttachment {
  size: number;
}

function kindOf(files: readonly PendingFile[]): PostKind {
  const first = files[0]?.contentType ?? '';
  if (!first) return 'text';
  if (first.startsWith('audio/')) return 'voice';
  if (first.startsWith('image/')) return 'photo';
  return 'document';
}

const canRecord = (): boolean =>
  typeof window !== 'undefined' && 'MediaRecorder' in window && typeof navigator.mediaDevices?.getUserMedia === 'function';

const JOURNAL_ONLY: ReadonlySet<OutboxKind> = new Set(['journal-entry']);

function statusText(item: OutboxItem, offline: boolean): string {
  switch (item.status) {
    case 'queued':
      if (offline || item.lastError?.code === 'PLATFORM_UNREACHABLE') return fr.outbox.queuedOffline;
      return item.lastError ? `${fr.outbox.queued} — ${fr.outbox.retrying(item.attempts)}` : fr.outbox.queued;
    case 'sending':
      return fr.outbox.sending;
    case 'sent':
      return fr.outbox.sent;
    case 'failed-permanent':
      return fr.outbox.failed(item.lastError ? errorMessage(item.lastError.code) : '');
  }
}

/** What this window posted for the patient and where each item is (queued, sending, published, failed). */
export function OutboxStatusList({
  items,
  offline,
  onRetry,
  onEdit,
  editableKinds = JOURNAL_ONLY,
}: {
  items: OutboxItem[];
  offline: boolean;
  /** Kinds whose refused items offer « Modifier » (a journal post back in the composer, a request or ordonnance back in its dialog). */
  editableKinds?: ReadonlySet<OutboxKind>;
  /** « Réessayer » on a refused item. */
  onRetry?: (clientId: string) => void;
  /** « Modifier » on a refused journal post: its text back in the composer. */
  onEdit?: (clientId: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    // Focus on « Réessayer » / « Modifier » must not expand the composer around them: the list would
    // move between mousedown and mouseup and the click be lost.
    <ul className="outbox-list" aria-label={fr.outbox.label} aria-live="polite" onFocus={(e) => e.stopPropagation()}>
      {items.map((item) => (
        <li key={item.id} className={`outbox-item outbox-item--${item.status}`} data-testid="outbox-item" data-status={item.status} data-client-id={item.id}>
          <span className="outbox-item-status">{statusText(item, offline)}</span>
          <span className="outbox-item-summary">{item.summary}</span>
          {item.status === 'failed-permanent' && (onRetry || onEdit) && (
            <span className="outbox-item-actions">
              {onRetry && (
                <button type="button" className="button button-small" aria-label={fr.layout.retry.retryLabel(item.summary)} onClick={() => onRetry(item.id)} data-testid="outbox-retry">
                  {fr.layout.retry.retry}
                </button>
              )}
              {onEdit && editableKinds.has(item.kind) && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={item.kind === 'journal-entry' ? fr.layout.retry.editLabel(item.summary) : fr.refusedEdit.editLabel(item.summary)}
                  onClick={() => onEdit(item.id)}
                  data-testid="outbox-edit"
                >
                  {fr.layout.retry.edit}
                </button>
              )}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The message composer of the open patient: the draft is saved locally as it is typed (per
 * patient); « Publier » (or Ctrl+Entrée) hands it to the outbox, which sends it when it can.
 * Text and files stay on screen until the outbox has them.
 */
export function DraftComposer({
  draft,
  onChange,
  onBlur,
  onPost,
  posting,
  replyTo,
  onCancelReply,
  outbox,
  offline,
  onRetry,
  onEdit,
  editableKinds,
  audienceDefault = null,
}: {
  onRetry?: (clientId: string) => void;
  onEdit?: (clientId: string) => void;
  /** Kinds offered « Modifier » in the outbox list (journal posts only when not given). */
  editableKinds?: ReadonlySet<OutboxKind>;
  draft: DraftState;
  onChange: (text: string) => void;
  onBlur: () => void;
  onPost: (input: Omit<JournalPostRequest, 'patientId'>) => Promise<boolean>;
  posting: boolean;
  replyTo: JournalEntry | null;
  onCancelReply: () => void;
  outbox: OutboxItem[];
  offline: boolean;
  /** Who the message is shown to by default (AudienceChoice.defaultAudience); null: no choice (secretary). */
  audienceDefault?: Confidentiality | null;
}) {
  const id = useId();
  const statusId = `${id}-status`;
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Files and notices belong to the patient being written about: kept with their patient id.
  const [filesOf, setFilesOf] = useState<{ patientId: string; files: PendingFile[] }>({ patientId: draft.patientId, files: [] });
  const [noticeOf, setNoticeOf] = useState<{ patientId: string; text: string } | null>(null);
  const files = filesOf.patientId === draft.patientId ? filesOf.files : [];
  const notice = noticeOf?.patientId === draft.patientId ? noticeOf.text : null;
  const setNotice = (text: string | null) => setNoticeOf(text === null ? null : { patientId: draft.patientId, text });
  const setFiles = (update: (files: PendingFile[]) => PendingFile[]) => {
    const patientId = draft.patientId;
    setFilesOf((prev) => ({ patientId, files: update(prev.patientId === patientId ? prev.files : []) }));
  };
  const [chosenAudience, setAudience] = useState<Confidentiality | null>(null);
  // Answering a message « réservé aux soignants » stays among carers.
  const replyIsMedical = replyTo?.confidentiality === 'medical';
  const audience: Confidentiality | null = audienceDefault === null ? null : replyIsMedical ? 'medical' : (chosenAudience ?? audienceDefault);
  const [recorder, setRecorder] = useState<MediaRecorder | null>(null);
  const [recordable] = useState(canRecord);
  // Compact until used (issue 15 item 8): one line while nothing is typed and the focus is
  // elsewhere, so the newest journal entry stays in view on a small screen.
  const [focused, setFocused] = useState(false);
  const [urgent, setUrgent] = useState(false);

  useEffect(() => {
    if (replyTo) textarea.current?.focus();
  }, [replyTo]);

  const addBlob = async (blob: Blob, title: string) => {
    if (blob.size > MAX_ATTACHMENT_BYTES) {
      setNotice(fr.composer.tooLarge(title));
      return;
    }
    const dataBase64 = await readAsBase64(blob);
    setNotice(null);
    setFiles((f) => [...f, { contentType: blob.type || 'application/octet-stream', title, dataBase64, size: blob.size }].slice(0, 5));
  };

  const publish = async () => {
    if (posting || draft.loading) return;
    if (draft.text.trim() === '' && files.length === 0) {
      setNotice(fr.composer.empty);
      return;
    }
    const ok = await onPost({
      kind: kindOf(files),
      text: draft.text,
      ...(urgent ? { urgent: true } : {}),
      ...(audience ? { confidentiality: audience } : {}),
      ...(files.length > 0 ? { attachments: files.map(({ contentType, title, dataBase64 }) => ({ contentType, title, dataBase64 })) } : {}),
    });
    if (ok) {
      setUrgent(false);
      setFiles(() => []);
      setNotice(null);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void publish();
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const images = [...e.clipboardData.items].filter((i) => i.kind === 'file' && i.type.startsWith('image/'));
    if (images.length === 0) return;
    e.preventDefault();
    for (const item of images) {
      const file = item.getAsFile();
      if (file) void addBlob(file, fr.composer.pastedImage(formatDateTime(new Date())));
    }
  };

  const toggleRecording = async () => {
    if (recorder) {
      recorder.stop();
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const rec = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      rec.ondataavailable = (ev) => chunks.push(ev.data);
      rec.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        setRecorder(null);
        const blob = new Blob(chunks, { type: (rec.mimeType || 'audio/webm').split(';')[0] });
        void addBlob(blob, fr.composer.voiceTitle(formatDateTime(new Date())));
      };
      rec.start();
      setRecorder(rec);
    } catch {
      setRecorder(null);
    }
  };

  let status: string;
  if (draft.loading) status = fr.app.loading;
  else if (draft.savedAt === null) status = fr.draft.saving;
  else if (draft.restoredFrom !== null && draft.savedAt === draft.restoredFrom) {
    status = fr.draft.restored(formatDateTime(new Date(draft.restoredFrom)));
  } else if (draft.text === '') status = fr.draft.empty;
  else status = fr.draft.savedAt(formatTime(new Date(draft.savedAt)));

  const expanded = focused || draft.text !== '' || files.length > 0 || replyTo !== null || notice !== null || recorder !== null;
  const mine = outbox.filter((i) => i.patientId === draft.patientId);
  const shown = [...mine.filter((i) => i.status !== 'sent'), ...mine.filter((i) => i.status === 'sent').slice(-3)];

  return (
    <section
      className={`draft composer${expanded ? '' : ' composer--compact'}`}
      aria-labelledby={`${id}-label`}
      data-testid="composer"
      data-expanded={expanded ? 'true' : 'false'}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <label id={`${id}-label`} htmlFor={id} className={expanded ? 'draft-label' : 'draft-label visually-hidden'}>
        {fr.composer.label}
      </label>
      {replyTo && (
        <p className="composer-reply" data-testid="composer-reply">
          <span>
            {fr.composer.replyingTo(replyTo.author.name)} — « {replyTo.text.slice(0, 80)}
            {replyTo.text.length > 80 ? '…' : ''} »
          </span>
          <button type="button" className="button button-small button-quiet" onClick={onCancelReply}>
            {fr.composer.cancelReply}
          </button>
        </p>
      )}
      {replyTo && <QuickReplies onPick={onChange} />}
      <textarea
        ref={textarea}
        id={id}
        className="draft-text"
        data-testid="draft-text"
        rows={expanded ? 3 : 1}
        value={draft.text}
        placeholder={expanded ? fr.composer.placeholder : fr.layout.composer.collapsedPlaceholder}
        disabled={draft.loading}
        aria-describedby={statusId}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {files.length > 0 && (
        <ul className="composer-files" data-testid="composer-files">
          {files.map((f, i) => (
            <li key={`${f.title}-${i}`}>
              <span>{f.title}</span>
              <span className="muted"> · {fr.attachment.size(f.size)}</span>
              <button
                type="button"
                className="button button-small button-quiet"
                aria-label={fr.composer.removeAttachment(f.title)}
                onClick={() => setFiles((all) => all.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-bar" hidden={!expanded}>
        <p id={statusId} className="draft-status muted" data-testid="draft-status" aria-live="polite">
          {notice ?? status}
        </p>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept="image/*,application/pdf,audio/*"
          data-testid="composer-file"
          onChange={(e) => {
            for (const file of [...(e.target.files ?? [])]) void addBlob(file, file.name);
            e.target.value = '';
          }}
        />
        <button type="button" className="button button-small button-quiet" onClick={() => fileInput.current?.click()} title={fr.composer.attachHint}>
          {fr.composer.attach}
        </button>
        {recordable && (
          <button type="button" className="button button-small button-quiet" aria-pressed={recorder !== null} onClick={() => void toggleRecording()}>
            {recorder ? fr.composer.stopRecording : fr.composer.record}
          </button>
        )}
        <UrgentToggle checked={urgent} onChange={setUrgent} />
        {audience && <AudienceChoice value={audience} onChange={setAudience} locked={replyIsMedical} />}
        <button
          type="button"
          className="button button-primary"
          data-testid="composer-publish"
          disabled={posting || draft.loading}
          onClick={() => void publish()}
          title={fr.composer.shortcut}
        >
          {posting ? fr.composer.publishing : fr.composer.publish}
        </button>
      </div>
      <OutboxStatusList items={shown} offline={offline} {...(onRetry ? { onRetry } : {})} {...(onEdit ? { onEdit } : {})} {...(editableKinds ? { editableKinds } : {})} />
    </section>
  );
}

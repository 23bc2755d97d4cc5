import { useEffect, useRef } from 'react';
import { fr } from '../i18n/fr';

export interface ViewedMedia {
  kind: 'image' | 'pdf';
  src: string;
  title: string;
}

/** A modal <dialog> (focus trapped, Escape closes) for an enlarged image or a PDF. */
export function MediaViewer({ media, onClose }: { media: ViewedMedia | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (media && !dialog.open) dialog.showModal();
    if (!media && dialog.open) dialog.close();
  }, [media]);
  return (
    <dialog
      ref={ref}
      className={media?.kind === 'pdf' ? 'viewer viewer--pdf' : 'viewer'}
      aria-label={media ? fr.attachment.viewerLabel(media.title) : undefined}
      onClose={onClose}
    >
      {media && (
        <>
          <div className="viewer-bar">
            <p className="viewer-title">{media.title}</p>
            <a className="button button-quiet" href={media.src} download={media.title}>
              {fr.attachment.download}
            </a>
            <button type="button" className="button" onClick={onClose} autoFocus>
              {fr.attachment.close}
            </button>
          </div>
          {media.kind === 'image' ? (
            <img className="viewer-image" src={media.src} alt={media.title} />
          ) : (
            <iframe className="viewer-frame" src={media.src} title={fr.attachment.viewerLabel(media.title)} />
          )}
        </>
      )}
    </dialog>
  );
}

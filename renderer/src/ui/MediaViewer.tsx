import { useContext, useState } from 'react';
import { formatDateTime } from '../format';
import { CurrentPatientContext, patientTitle } from './DialogPatient';
import { useModalDialog } from '../hooks/useModalDialog';
import { useCloseWhenChartHeld } from './chart-held';
import { fr } from '../i18n/fr';

/**
 * An attachment shown enlarged: images only. Nothing that can hold a script is shown inside
 * Relais (issue 11): no frame at all, PDFs and any other file are offered as a download by the
 * journal (JournalEntryView), and the host serves the bytes with their sniffed type under
 * `sandbox; default-src 'none'` (main/platform/attachment-policy.ts).
 */
export interface ViewedMedia {
  kind: 'image';
  src: string;
  title: string;
  /** Who posted it and when (the journal entry it belongs to): shown with the patient (issue 15). */
  author?: string;
  date?: string;
}

const ZOOM_STEPS = [0.5, 0.75, 1, 1.5, 2, 3, 4] as const;

/** Zoom on a wound photo: buttons, keyboard (+ / − / 0) and Ctrl + wheel; the image scrolls when larger. */
function ZoomableImage({ src, title }: { src: string; title: string }) {
  const [step, setStep] = useState(2);
  const zoom = ZOOM_STEPS[step] ?? 1;
  const by = (d: number) => setStep((s) => Math.min(ZOOM_STEPS.length - 1, Math.max(0, s + d)));
  return (
    <>
      <div className="viewer-zoom" role="group" aria-label={fr.attachment.zoomGroup}>
        <button type="button" className="button button-small button-quiet" onClick={() => by(-1)} aria-label={fr.attachment.zoomOut}>
          −
        </button>
        <span className="viewer-zoom-level" aria-live="polite" data-testid="zoom-level">
          {Math.round(zoom * 100)} %
        </span>
        <button type="button" className="button button-small button-quiet" onClick={() => by(1)} aria-label={fr.attachment.zoomIn}>
          +
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => setStep(2)}>
          {fr.attachment.zoomReset}
        </button>
      </div>
      <div
        className="viewer-image-scroll"
        tabIndex={0}
        aria-label={fr.attachment.zoomHint}
        onKeyDown={(e) => {
          if (e.key === '+' || e.key === '=') by(1);
          else if (e.key === '-') by(-1);
          else if (e.key === '0') setStep(2);
        }}
        onWheel={(e) => {
          if (!e.ctrlKey) return;
          e.preventDefault();
          by(e.deltaY < 0 ? 1 : -1);
        }}
      >
        <img className="viewer-image" src={src} alt={title} style={{ width: `${zoom * 100}%` }} />
      </div>
    </>
  );
}

/** A modal <dialog> (focus trapped, Escape closes) for an enlarged image. */
export function MediaViewer({ media, onClose }: { media: ViewedMedia | null; onClose: () => void }) {
  const ref = useModalDialog(media !== null);
  useCloseWhenChartHeld(media !== null, onClose);
  const patient = useContext(CurrentPatientContext);
  return (
    <dialog ref={ref} className="viewer" aria-label={media ? fr.attachment.viewerLabel(media.title) : undefined} onClose={onClose}>
      {media && (
        <>
          <div className="viewer-bar">
            <div className="viewer-heading">
              <p className="viewer-title">{media.title}</p>
              <p className="viewer-context" data-testid="viewer-context">
                {patient && <strong>{patientTitle(patient)}</strong>}
                {media.author && media.date && <span>{` · ${fr.safety.media.by(media.author, formatDateTime(new Date(media.date)))}`}</span>}
              </p>
            </div>
            <button type="button" className="button" onClick={onClose} autoFocus>
              {fr.attachment.close}
            </button>
          </div>
          <ZoomableImage key={media.src} src={media.src} title={media.title} />
        </>
      )}
    </dialog>
  );
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { OPINION_MAX_PHOTOS, type OpinionCreateRequest, type OpinionReferent, type RelaisErrorShape } from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';

const t = fr.opinion;
type Field = 'referentId' | 'question' | 'photos' | 'consent';
const ACCEPT = 'image/jpeg,image/png,image/heic';
const isPhotoFile = (f: File) => /^image\/(jpeg|png|heic|heif)$/.test(f.type) || /\.(jpe?g|png|heic|heif)$/i.test(f.name);

interface ChosenPhoto {
  name: string;
  dataBase64: string;
  /** Object URL for the thumbnail (a HEIC shows no thumbnail in Chromium: its name is shown). */
  preview: string;
}

type Props = {
  open: boolean;
  referents: OpinionReferent[] | null;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (request: Omit<OpinionCreateRequest, 'patientId'>) => Promise<boolean>;
  onClose: () => void;
};

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** « Demande d'avis »: who, the question, the photos, measurements, consent. The core prepares the photos. */
export function OpinionDialog(props: Props) {
  return (
    <FormDialog open={props.open} testId="opinion-dialog" wide onClose={props.onClose}>
      {(titleId) => <OpinionForm {...props} titleId={titleId} />}
    </FormDialog>
  );
}

function OpinionForm({ referents, submitting, error, onSubmit, onClose, titleId }: Props & { titleId: string }) {
  const id = useId();
  const [chosen, setReferent] = useState('');
  const [question, setQuestion] = useState('');
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [length, setLength] = useState('');
  const [width, setWidth] = useState('');
  const [observations, setObservations] = useState('');
  const [consent, setConsent] = useState(false);
  const referentId = chosen || (referents?.length === 1 ? referents[0]!.id : '');
  const serverField: Field | null = error?.field === 'photos' || error?.field === 'referentId' ? error.field : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error });
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);

  // Thumbnails' object URLs are released when the dialog closes (and when a photo is removed).
  const shown = useRef<ChosenPhoto[]>([]);
  useEffect(() => {
    shown.current = photos;
  }, [photos]);
  useEffect(() => () => shown.current.forEach((p) => URL.revokeObjectURL(p.preview)), []);

  const addFiles = async (files: FileList | null) => {
    if (!files) return;
    const list = [...files];
    const wrong = list.some((f) => !isPhotoFile(f));
    const room = OPINION_MAX_PHOTOS - photos.length;
    const taken = list.filter(isPhotoFile).slice(0, Math.max(0, room));
    const added = await Promise.all(taken.map(async (f) => ({ name: f.name, dataBase64: await toBase64(f), preview: URL.createObjectURL(f) })));
    setPhotos((v) => [...v, ...added]);
    setPhotoProblem(wrong ? t.notAPhoto : list.filter(isPhotoFile).length > room ? t.tooManyPhotos : null);
    edited('photos');
  };
  const cm = (v: string) => {
    const n = Number(v.replace(',', '.'));
    return v.trim() && Number.isFinite(n) && n > 0 ? n : undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!referentId) problems.referentId = t.required;
    if (!question.trim()) problems.question = t.required;
    if (!consent) problems.consent = t.consentRequired;
    if (!accept(problems, ['referentId', 'question', 'photos', 'consent'])) return;
    const lengthCm = cm(length);
    const widthCm = cm(width);
    const measured = observations.trim() || lengthCm !== undefined || widthCm !== undefined;
    await onSubmit({
      referentId,
      question: question.trim(),
      photos: photos.map((p) => ({ name: p.name, dataBase64: p.dataBase64 })),
      ...(measured ? { measurements: { ...(observations.trim() ? { text: observations.trim() } : {}), ...(lengthCm !== undefined ? { lengthCm } : {}), ...(widthCm !== undefined ? { widthCm } : {}) } } : {}),
      consent: true,
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="opinion-form">
      <h2 id={titleId} className="agenda-dialog-title">
        {t.dialogTitle}
      </h2>
      {error && !serverField && (
        <p className="form-error form-error--block" role="alert">
          {errorMessage(error.code)}
        </p>
      )}
      <label className="form-field">
        <span>{t.referent}</span>
        <select id={`${id}-referentId`} value={referentId} onChange={(e) => { setReferent(e.target.value); edited('referentId'); }} aria-invalid={!!fieldError('referentId')} aria-describedby={describe('referentId')} data-testid="opinion-referent">
          <option value="">{referents ? (referents.length === 0 ? t.noReferent : fr.agenda.choose) : fr.app.loading}</option>
          {(referents ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
              {r.specialty ? ` (${r.specialty})` : ''}
            </option>
          ))}
        </select>
        {errorText('referentId')}
      </label>
      <label className="form-field">
        <span>{t.question}</span>
        <textarea id={`${id}-question`} rows={3} maxLength={4000} placeholder={t.questionHint} value={question} onChange={(e) => { setQuestion(e.target.value); edited('question'); }} aria-invalid={!!fieldError('question')} aria-describedby={describe('question')} />
        {errorText('question')}
      </label>
      <div className="form-field">
        <label htmlFor={`${id}-photos`}>{t.photos}</label>
        <input id={`${id}-photos`} type="file" accept={ACCEPT} multiple disabled={photos.length >= OPINION_MAX_PHOTOS} onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} aria-describedby={describe('photos', `${id}-photos-hint`)} data-testid="opinion-photos" />
        <small id={`${id}-photos-hint`} className="form-hint">
          {t.photosHint}
        </small>
        <span className="panel-meta" data-testid="opinion-photo-count">{t.photosCount(photos.length)}</span>
        {photos.length > 0 && (
          <ul className="opinion-photos">
            {photos.map((p, i) => (
              <li key={p.preview}>
                <img src={p.preview} alt={p.name} />
                <button type="button" className="button button-quiet button-small" aria-label={t.remove(p.name)} onClick={() => { URL.revokeObjectURL(p.preview); setPhotos((v) => v.filter((_, j) => j !== i)); }}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {photoProblem && <p className="form-error">{photoProblem}</p>}
        {errorText('photos')}
      </div>
      <fieldset className="form-choice">
        <legend>{t.measurements}</legend>
        <div className="form-row">
          <label className="form-field form-field--narrow">
            <span>{t.length}</span>
            <input type="text" inputMode="decimal" value={length} onChange={(e) => setLength(e.target.value)} />
          </label>
          <label className="form-field form-field--narrow">
            <span>{t.width}</span>
            <input type="text" inputMode="decimal" value={width} onChange={(e) => setWidth(e.target.value)} />
          </label>
        </div>
        <label className="form-field">
          <span>{t.measurementsText}</span>
          <input type="text" maxLength={1000} value={observations} onChange={(e) => setObservations(e.target.value)} />
        </label>
      </fieldset>
      <div className="form-field">
        <label>
          <input id={`${id}-consent`} type="checkbox" checked={consent} onChange={(e) => { setConsent(e.target.checked); edited('consent'); }} aria-invalid={!!fieldError('consent')} aria-describedby={describe('consent')} /> {t.consent}
        </label>
        {errorText('consent')}
      </div>
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {t.back}
        </button>
        <button type="submit" className="button" disabled={submitting || !referents || referents.length === 0}>
          {submitting ? t.sending : t.submit}
        </button>
      </div>
    </form>
  );
}

import type { ShownError } from '../state/error-controller';
import { errorText, fr } from '../i18n/fr';

export function ErrorBanner({ shown, onDismiss }: { shown: ShownError; onDismiss: () => void }) {
  const { error } = shown;
  const text =
    error.code === 'INTERNAL' && error.message === 'transport closed' ? fr.error.transportClosed : errorText(error);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-code={error.code}>
      <p className="error-text">
        <strong className="error-title">{fr.error.title} : </strong>
        {text}
        <span className="error-code"> ({fr.error.code(error.code)})</span>
      </p>
      <button type="button" className="button button-quiet" onClick={onDismiss} aria-label={fr.error.dismiss}>
        {fr.attachment.close}
      </button>
    </div>
  );
}

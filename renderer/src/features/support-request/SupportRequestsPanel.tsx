import { SUPPORT_STEPS, type RelaisErrorShape, type SupportRequest, type SupportRequestList } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtDay, fmtStamp } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.support;

/** The steps as a tick list: sent, then each step of the cell with its time once reached. */
function Steps({ r }: { r: SupportRequest }) {
  const reached = new Map(r.steps.map((s) => [s.step, s.at]));
  return (
    <ol className="support-steps" aria-label={t.title}>
      <li className="support-step support-step--done">{r.authoredOn ? t.stepAt(t.steps.sent, fmtStamp(r.authoredOn)) : t.steps.sent}</li>
      {SUPPORT_STEPS.map((step) => {
        const at = reached.get(step);
        return (
          <li key={step} className={`support-step${at ? ' support-step--done' : ''}`} data-step={step} data-done={at ? 'true' : 'false'}>
            {at ? t.stepAt(t.steps[step], fmtStamp(at)) : t.stepTodo(t.steps[step])}
          </li>
        );
      })}
    </ol>
  );
}

function SupportItem({ r }: { r: SupportRequest }) {
  const state = r.local?.state ?? null;
  const last = r.steps.at(-1)?.step ?? null;
  return (
    <li className={`support-request support-request--${r.urgency}`} data-testid="support-request" data-status={state ? `local-${state}` : (last ?? 'sent')}>
      <span className="support-request-head">
        <span className={`support-request-priority support-request-priority--${r.urgency}`}>{t.urgencyLabel[r.urgency]}</span>
        <span className="support-request-cell">{r.cell}</span>
      </span>
      <span className="support-request-reason">
        {t.reasons[r.reason]} — {r.asks.map((a) => t.askLabels[a]).join(', ')}
      </span>
      {r.stay && <span className="panel-meta">{t.stay(fmtDay(r.stay.from), fmtDay(r.stay.to))}</span>}
      <span className="panel-meta">
        {r.onBehalfOf ? t.secretaryFor(r.onBehalfOf) : r.requester ? t.by(r.requester.name) : null}
      </span>
      {r.coordinator && <span className="support-request-coordinator">{t.coordinator(r.coordinator)}</span>}
      {state ? (
        <span className={`support-request-local support-request-local--${state}`}>{state === 'pending' ? t.pending : t.failed(r.local?.error ? errorMessage(r.local.error.code) : '')}</span>
      ) : (
        <Steps r={r} />
      )}
    </li>
  );
}

/** « Demandes d'appui »: the patient's requests to the support cell and each step reached. */
export function SupportRequestsPanel({ list, error, onRequest, hidden = false }: { list: SupportRequestList | null; error: RelaisErrorShape | null; onRequest: (() => void) | null; hidden?: boolean }) {
  const requests = list?.requests ?? [];
  return (
    <Panel id="support" className="support-panel" title={t.title} count={requests.length} hidden={hidden}>
      {onRequest && (
        <div className="panel-actions">
          <button type="button" className="button button-small" title={t.openHint} onClick={onRequest} data-testid="support-request-open">
            {t.open}
          </button>
        </div>
      )}
      {error && <p className="panel-empty">{fr.panels.failed(errorMessage(error.code))}</p>}
      {list?.source === 'store' && <p className="panel-meta">{t.offline}</p>}
      {list && requests.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {requests.map((r) => (
            <SupportItem key={r.id} r={r} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

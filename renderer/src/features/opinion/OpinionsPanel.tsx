import type { OpinionList, OpinionRequest, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtStamp } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.opinion;

function OpinionItem({ r }: { r: OpinionRequest }) {
  const state = r.local?.state ?? null;
  return (
    <li className="opinion-request" data-testid="opinion-request" data-status={state ? `local-${state}` : r.answer ? 'answered' : r.status}>
      <span className="opinion-head">
        <span className="opinion-referent">{r.referent}</span>
        <span className="opinion-status">{state ? null : t.status[r.status]}</span>
      </span>
      {/* Platform text is shown as text, never as HTML. */}
      <span className="opinion-question">{r.question}</span>
      <span className="panel-meta">
        {r.authoredOn ? t.sentOn(fmtStamp(r.authoredOn)) : null}
        {r.photos > 0 ? ` · ${t.photoCount(r.photos)}` : ''}
      </span>
      {state ? (
        <span className={`opinion-local opinion-local--${state}`}>{state === 'pending' ? t.pending : t.failed(r.local?.error ? errorMessage(r.local.error.code) : '')}</span>
      ) : r.answer ? (
        <div className="opinion-answer" data-testid="opinion-answer">
          <span className="opinion-answer-head">{t.answered(r.answer.author, r.answer.at ? fmtStamp(r.answer.at) : null)}</span>
          <p className="opinion-answer-text">{r.answer.text}</p>
          {r.answer.action && <p className="opinion-action">{t.action(r.answer.action)}</p>}
        </div>
      ) : (
        <span className="panel-meta">{t.waiting}</span>
      )}
    </li>
  );
}

/** « Avis demandés »: the patient's requests for an opinion and the answers. */
export function OpinionsPanel({ list, error, onRequest, hidden = false }: { list: OpinionList | null; error: RelaisErrorShape | null; onRequest: () => void; hidden?: boolean }) {
  const requests = list?.requests ?? [];
  return (
    <Panel id="opinion" className="opinion-panel" title={t.title} count={requests.length} hidden={hidden}>
      <div className="panel-actions">
        <button type="button" className="button button-small" title={t.openHint} onClick={onRequest} data-testid="opinion-open">
          {t.open}
        </button>
      </div>
      {error && <p className="panel-empty">{fr.panels.failed(errorMessage(error.code))}</p>}
      {list?.source === 'store' && <p className="panel-meta">{t.offline}</p>}
      {list && requests.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {requests.map((r) => (
            <OpinionItem key={r.id} r={r} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

import type { Admission, AdmissionList, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtDay, fmtStamp } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.admissions;

const OPEN = new Set<Admission['status']>(['requested', 'accepted', 'in-progress']);

function AdmissionItem({ a, onChange }: { a: Admission; onChange?: ((action: 'cancel' | 'remind', a: Admission) => void) | undefined }) {
  const state = a.local?.state ?? null;
  const where = a.service ? `${a.establishment} — ${a.service}` : a.establishment;
  const changeable = onChange && !a.local && !a.pendingChange && OPEN.has(a.status);
  return (
    <li
      className={`admission admission--${a.priority}${state ? ` admission--${state}` : ''}`}
      data-testid="admission"
      data-status={a.local ? `local-${a.local.state}` : a.status}
    >
      <span className="admission-head">
        <span className={`admission-priority admission-priority--${a.priority}`}>{t.priority[a.priority]}</span>
        <span className="admission-where">{a.service ? `${a.establishment} — ${a.service}` : a.establishment}</span>
      </span>
      <span className="admission-motive">{a.motive}</span>
      <span className="panel-meta">
        {[
          a.desiredDate ? t.desiredOn(fmtDay(a.desiredDate)) : null,
          a.requester ? t.by(a.requester.name) : null,
          a.authoredOn ? t.sentOn(fmtStamp(a.authoredOn)) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
      {(a.hasClinicalSummary || a.homeReturnSupport || a.attachments.length > 0) && (
        <span className="panel-meta">
          {[
            a.hasClinicalSummary ? t.summaryAttached : null,
            a.homeReturnSupport ? t.homeReturnPlanned : null,
            a.attachments.length > 0 ? t.documentsCount(a.attachments.length) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
      )}
      <span className={`admission-status admission-status--${state ?? a.status}`}>
        {state === 'pending'
          ? t.pending
          : state === 'failed'
            ? t.failed(a.local?.error ? errorMessage(a.local.error.code) : '')
            : t.status[a.status]}
        {a.pendingChange && ` — ${t.pendingChange[a.pendingChange]}`}
      </span>
      {(a.statusDetail || a.statusAt) && !a.local && (
        <span className="panel-meta" data-testid="admission-establishment-status">
          {[a.statusDetail ? t.statusFrom(a.statusDetail) : null, a.statusAt ? t.statusOn(fmtStamp(a.statusAt)) : null].filter(Boolean).join(' · ')}
        </span>
      )}
      {a.history.length > 0 && (
        <ul className="admission-history" aria-label={t.historyLabel} data-testid="admission-history">
          {a.history.map((h, i) => (
            <li key={i} className="panel-meta">
              {t.historyLine(h.at ? fmtStamp(h.at) : '', h.by ?? '', h.text)}
            </li>
          ))}
        </ul>
      )}
      {changeable && (
        <span className="admission-actions">
          <button type="button" className="button button-small" onClick={() => onChange('remind', a)} aria-label={t.remindLabel(where)} data-testid="admission-remind">
            {t.remind}
          </button>
          <button type="button" className="button button-small button-quiet" onClick={() => onChange('cancel', a)} aria-label={t.cancelLabel(where)} data-testid="admission-cancel">
            {t.cancel}
          </button>
        </span>
      )}
    </li>
  );
}

/** The patient's hospital admission requests and where each stands (its Task), with « Demande d'admission ». */
export function AdmissionsPanel({
  list,
  error,
  canRequest,
  onRequest,
  onChange,
  hidden,
}: {
  list: AdmissionList | null;
  error: RelaisErrorShape | null;
  canRequest: boolean;
  onRequest: () => void;
  /** « Annuler » / « Relancer » (shown with admission.manage, on open requests already on the platform). */
  onChange?: (action: 'cancel' | 'remind', admission: Admission) => void;
  hidden?: boolean;
}) {
  const admissions = list?.admissions ?? [];
  return (
    <Panel id="admissions" title={t.title} count={admissions.length} hidden={hidden}>
      {canRequest && (
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={onRequest} data-testid="admission-new">
            {t.new}
          </button>
        </div>
      )}
      {error && <p className="panel-empty">{fr.panels.failed(errorMessage(error.code))}</p>}
      {list?.source === 'store' && <p className="panel-meta">{t.offline}</p>}
      {list && admissions.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {admissions.map((a) => (
            <AdmissionItem key={a.id} a={a} onChange={canRequest ? onChange : undefined} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

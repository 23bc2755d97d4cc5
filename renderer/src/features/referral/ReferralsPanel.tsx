import type { Referral, ReferralList, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtDay, fmtStamp } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.referrals;

function ReferralItem({ r }: { r: Referral }) {
  const state = r.local?.state ?? null;
  return (
    <li className={`admission admission--${r.urgency}${state ? ` admission--${state}` : ''}`} data-testid="referral" data-status={r.local ? `local-${r.local.state}` : r.status}>
      <span className="admission-head">
        <span className={`admission-priority admission-priority--${r.urgency}`}>{t.urgencyLabel[r.urgency]}</span>
        <span className="admission-where">{r.recipient}</span>
      </span>
      <span className="admission-motive">{r.reason}</span>
      {r.expectedAction && <span className="panel-meta">{t.expected(r.expectedAction)}</span>}
      <span className="panel-meta">
        {[r.desiredDate ? t.desiredOn(fmtDay(r.desiredDate)) : null, r.requester ? t.by(r.requester.name) : null, r.authoredOn ? t.sentOn(fmtStamp(r.authoredOn)) : null]
          .filter(Boolean)
          .join(' · ')}
      </span>
      {(r.hasClinicalContext || r.attachments.length > 0) && (
        <span className="panel-meta">
          {[r.hasClinicalContext ? t.contextAttached : null, r.attachments.length > 0 ? t.documentsCount(r.attachments.length) : null].filter(Boolean).join(' · ')}
        </span>
      )}
      <span className={`admission-status admission-status--${state ?? r.status}`}>
        {state === 'pending' ? t.pending : state === 'failed' ? t.failed(r.local?.error ? errorMessage(r.local.error.code) : '') : t.status[r.status]}
      </span>
    </li>
  );
}

/** The patient's referrals and where each stands (its Task), with « Adresser » for who may refer. */
export function ReferralsPanel({
  list,
  error,
  onRefer,
  hidden,
}: {
  list: ReferralList | null;
  error: RelaisErrorShape | null;
  /** Given only with referral.write. */
  onRefer: (() => void) | null;
  hidden?: boolean;
}) {
  const referrals = list?.referrals ?? [];
  return (
    <Panel id="referrals" title={t.title} count={referrals.length} hidden={hidden}>
      {onRefer && (
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={onRefer} data-testid="referral-new-panel">
            {t.open}
          </button>
        </div>
      )}
      {error && <p className="panel-empty">{fr.panels.failed(errorMessage(error.code))}</p>}
      {list?.source === 'store' && <p className="panel-meta">{t.offline}</p>}
      {list && referrals.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {referrals.map((r) => (
            <ReferralItem key={r.id} r={r} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

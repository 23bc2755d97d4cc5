import type { Treatment } from '../../contract';
import { fr } from '../../i18n/fr';
import { fmtDay } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.panels.treatments;

function Line({ item, selfId }: { item: Treatment; selfId: string | null }) {
  return (
    <li className={`treatment treatment--${item.status}`}>
      <span className="treatment-name">{item.medication}</span>
      <span className="treatment-posology">{item.posology}</span>
      <span className="panel-meta">
        {item.status === 'active'
          ? [item.startDate ? t.since(fmtDay(item.startDate)) : null, item.prescriber ? (item.prescriber.id === selfId ? t.byMe : t.by(item.prescriber.name)) : null].filter(Boolean).join(' · ')
          : [item.endDate ? t.stoppedOn(fmtDay(item.endDate)) : null, item.reason].filter(Boolean).join(' · ')}
      </span>
    </li>
  );
}

export function TreatmentsPanel({ treatments, selfId, hidden }: { treatments: Treatment[]; selfId: string | null; hidden?: boolean }) {
  const active = treatments.filter((x) => x.status === 'active');
  const stopped = treatments.filter((x) => x.status === 'stopped');
  return (
    <Panel id="treatments" title={t.title} count={active.length} hidden={hidden}>
      {active.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {active.map((x) => (
            <Line key={x.id} item={x} selfId={selfId} />
          ))}
        </ul>
      )}
      {stopped.length > 0 && (
        <>
          <h3 className="panel-subtitle">{t.stoppedTitle}</h3>
          <ul className="panel-list">
            {stopped.map((x) => (
              <Line key={x.id} item={x} selfId={selfId} />
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}

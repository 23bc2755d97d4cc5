import type { PatientPanels, Treatment } from '../../contract';
import { fr } from '../../i18n/fr';
import { fmtDay } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.panels.treatments;
const c = fr.medicationCircuit;

/** Prescribed / dispensed / administered, when the platform knows the circuit of this line. */
function Circuit({ item }: { item: Treatment }) {
  const k = item.circuit;
  if (!k) return null;
  const parts = [
    c.prescribed,
    k.dispenseProblem ? c.problem(k.dispenseProblem) : k.dispensedAt ? c.dispensed(fmtDay(k.dispensedAt.slice(0, 10))) : c.notDispensed,
    k.administeredAt ? c.administered(fmtDay(k.administeredAt.slice(0, 10)), k.administeredBy) : null,
  ];
  return (
    <span className="panel-meta treatment-circuit" data-testid="treatment-circuit">
      {parts.filter(Boolean).join(' → ')}
    </span>
  );
}

function Review({ review }: { review: NonNullable<PatientPanels['medicationReview']> }) {
  return (
    <section className="medication-review" aria-label={c.reviewTitle} data-testid="medication-review">
      <h3 className="panel-subtitle">
        {c.reviewTitle} <span className="panel-meta">{c.reviewBy(fmtDay(review.date.slice(0, 10)), review.author)}</span>
      </h3>
      {review.sections.map((s, i) => (
        <p key={i}>
          {s.title && <strong>{s.title} : </strong>}
          {s.text}
        </p>
      ))}
    </section>
  );
}

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
      <Circuit item={item} />
    </li>
  );
}

export function TreatmentsPanel({
  treatments,
  selfId,
  hidden,
  review,
}: {
  treatments: Treatment[];
  selfId: string | null;
  hidden?: boolean;
  review?: PatientPanels['medicationReview'];
}) {
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
      {review && <Review review={review} />}
    </Panel>
  );
}

import type { CareTeamMember, Pps } from '../../contract';
import { fr } from '../../i18n/fr';
import type { PpsEditController } from './controller';
import { fmtDay, todayKey } from '../../ui/dates';
import { Panel } from '../../ui/Panel';
import { PpsEditActions } from './PpsEditActions';

const t = fr.panels.pps;

export function PpsPanel({
  pps,
  hidden,
  editor,
}: {
  pps: Pps | null;
  hidden?: boolean;
  /** « Modifier le PPS »: only when the session has pps.edit (the window hides what the role cannot do). */
  editor?: { controller: PpsEditController; careTeam: readonly CareTeamMember[] };
}) {
  if (!pps) {
    return (
      <Panel id="pps" title={t.title} hidden={hidden}>
        <p className="panel-empty">{t.none}</p>
      </Panel>
    );
  }
  const overdue = pps.nextReview !== null && pps.nextReview < todayKey();
  return (
    <Panel id="pps" title={t.title} hidden={hidden}>
      {editor && <PpsEditActions pps={pps} controller={editor.controller} careTeam={editor.careTeam} />}
      <dl className="pps-summary">
        <div>
          <dt>{t.coordinator}</dt>
          <dd>{pps.coordinator ? `${pps.coordinator.name}, ${pps.coordinator.roleLabel}` : fr.panels.notProvided}</dd>
        </div>
        <div>
          <dt>{t.nextReview}</dt>
          <dd className={overdue ? 'is-overdue' : undefined} data-testid="pps-next-review">
            {pps.nextReview ? (overdue ? t.reviewOverdue(fmtDay(pps.nextReview)) : fmtDay(pps.nextReview)) : fr.panels.notProvided}
          </dd>
        </div>
        {pps.problems.length > 0 && (
          <div>
            <dt>{t.problems}</dt>
            <dd>{pps.problems.join(' · ')}</dd>
          </div>
        )}
      </dl>
      <h3 className="panel-subtitle">{t.objectives}</h3>
      <ol className="panel-list">
        {pps.objectives.map((o) => (
          <li key={o.id} className="objective">
            <span className="objective-text">
              {o.priority === 'high' && <span className="badge badge-priority">{t.priority}</span>} {o.description}
            </span>
            <span className="panel-meta">
              {[o.criterion ? `${t.criterion} : ${o.criterion}` : null, o.dueDate ? t.due(fmtDay(o.dueDate)) : null, o.achievement ? (t.achievement[o.achievement] ?? null) : null]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ol>
      {pps.interventions.length > 0 && (
        <details className="pps-more">
          <summary>{t.interventions}</summary>
          <ul className="panel-list">
            {pps.interventions.map((i, n) => (
              <li key={n}>
                <span>{i.description}</span>
                <span className="panel-meta">
                  {[i.performer ? `${i.performer.name}, ${i.performer.roleLabel}` : null, i.scheduledEnd ? t.until(fmtDay(i.scheduledEnd)) : null]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {pps.preferences.length > 0 && (
        <details className="pps-more">
          <summary>{t.preferences}</summary>
          <ul className="panel-list">
            {pps.preferences.map((p, n) => (
              <li key={n}>« {p} »</li>
            ))}
          </ul>
        </details>
      )}
      {pps.alertProcedure && (
        <p className="pps-alert">
          <strong>{t.alertProcedure} : </strong>
          {pps.alertProcedure}
        </p>
      )}
    </Panel>
  );
}

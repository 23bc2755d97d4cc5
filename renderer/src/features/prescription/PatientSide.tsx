import type { PatientPanels } from '../../contract';
import { fr } from '../../i18n/fr';

/**
 * Beside the lines: the patient's allergies (the platform publishes none yet, so the composer says
 * to check them) and current treatments from the panels, so a new line is written knowing them.
 */
export function PatientSide({ panels }: { panels: PatientPanels | null }) {
  const active = panels?.treatments.filter((t) => t.status === 'active') ?? [];
  return (
    <aside className="rx-side" aria-label={fr.rx.side.title} data-testid="prescription-side">
      <h3 className="rx-side-title">{fr.rx.side.title}</h3>
      <h4>{fr.rx.side.allergies}</h4>
      <p className="muted" data-testid="prescription-allergies">
        {fr.rx.side.allergiesUnknown}
      </p>
      <h4>{fr.rx.side.treatments}</h4>
      {panels === null ? (
        <p className="muted">{fr.rx.side.treatmentsLoading}</p>
      ) : active.length === 0 ? (
        <p className="muted">{fr.rx.side.treatmentsNone}</p>
      ) : (
        <ul className="rx-side-list" data-testid="prescription-treatments">
          {active.map((t) => (
            <li key={t.id}>
              <strong>{t.medication}</strong>
              {t.posology && <span className="muted"> — {t.posology}</span>}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

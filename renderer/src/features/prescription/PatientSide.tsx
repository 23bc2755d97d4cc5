import type { PatientPanels } from '../../contract';
import { fr } from '../../i18n/fr';
import type { PrescriptionViewState } from './controller';

/**
 * Beside the lines: the patient's allergies as the platform has them (severe ones marked; when
 * they cannot be read, the composer says to check them with the patient) and current treatments
 * from the panels, so a new line is written knowing them.
 */
export function PatientSide({ panels, allergies }: { panels: PatientPanels | null; allergies: PrescriptionViewState['allergies'] }) {
  const active = panels?.treatments.filter((t) => t.status === 'active') ?? [];
  return (
    <aside className="rx-side" aria-label={fr.rx.side.title} data-testid="prescription-side">
      <h3 className="rx-side-title">{fr.rx.side.title}</h3>
      <h4>{fr.rx.side.allergies}</h4>
      {allergies === 'loading' || allergies === 'unavailable' || allergies.length === 0 ? (
        <p className="muted" data-testid="prescription-allergies">
          {allergies === 'loading' ? fr.rx.side.allergiesLoading : allergies === 'unavailable' ? fr.rx.side.allergiesUnknown : fr.rx.side.allergiesNone}
        </p>
      ) : (
        <ul className="rx-side-list" data-testid="prescription-allergies">
          {allergies.map((a) => (
            <li key={a.substance}>
              <strong>{a.substance}</strong>
              {a.critical && <span className="clinical-critical"> ({fr.clinical.critical})</span>}
            </li>
          ))}
        </ul>
      )}
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

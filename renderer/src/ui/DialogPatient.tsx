import { createContext, useContext } from 'react';
import type { Patient } from '../contract';
import { formatBirthDate } from '../format';
import { fr } from '../i18n/fr';

/** The patient on screen, for what is drawn outside the chart (dialogs, the media viewer). */
export const CurrentPatientContext = createContext<Patient | null>(null);

/** « DUPONT Marie, né(e) le 01/02/1940 »: birth name in capitals, first birth first name, birth date. */
export function patientTitle(p: Patient): string {
  return fr.safety.dialogPatient(p.birthName.toLocaleUpperCase('fr-FR'), p.firstNames[0] ?? '', formatBirthDate(p.birthDate));
}

/**
 * Inside a dialog's title (issue 15): every dialog names the patient it acts on, so a form left
 * open never reads as another patient's.
 */
export function DialogPatient({ patient }: { patient?: Patient | null }) {
  const current = useContext(CurrentPatientContext);
  const p = patient ?? current;
  if (!p) return null;
  return (
    <span className="dialog-patient" data-testid="dialog-patient">
      {' — '}
      {patientTitle(p)}
    </span>
  );
}

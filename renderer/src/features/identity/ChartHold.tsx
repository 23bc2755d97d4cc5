import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Patient, RelaisClient, RelaisErrorShape, TraitDiscrepancy } from '../../contract';
import { formatBirthDate } from '../../format';
import { errorText, fr } from '../../i18n/fr';
import { ChartHoldController, type ChartHoldState } from './chart-hold';

const t = fr.safety.chartHold;

/** The hold of the chart on screen (chart-hold.ts), owned by the window for its lifetime. */
export function useChartHold(client: RelaisClient | undefined, patient: Patient | null): { held: boolean; reason: 'refused' | 'held' | null; error: RelaisErrorShape | null; release: () => void } {
  // No chart on screen: nothing is greyed out (`held` below); opening one releases the hold anyway.
  const [controller] = useState(() => (client ? new ChartHoldController(client) : null));
  useEffect(() => controller?.connect(), [controller]);
  const noop = useState(() => ({ subscribe: () => () => {}, getState: (): ChartHoldState => ({ hold: null }) }))[0];
  const { hold } = useSyncExternalStore(controller?.subscribe ?? noop.subscribe, controller?.getState ?? noop.getState);
  const held = hold !== null && patient !== null;
  return { held, reason: held ? hold.reason : null, error: held ? (hold.error ?? null) : null, release: controller?.release ?? (() => {}) };
}

/**
 * Above the greyed-out chart: « Ce dossier n'est pas celui affiché par votre logiciel », whose
 * chart this still is, and the GP's choices (continue on it, or open another patient from the list).
 */
export function ChartHoldNotice({ patient, reason, error, onKeep }: { patient: Patient; reason: 'refused' | 'held'; error?: RelaisErrorShape | null; onKeep: () => void }) {
  return (
    <section className="chart-hold" role="alert" data-testid="chart-hold" aria-labelledby="chart-hold-title">
      <h2 id="chart-hold-title" className="chart-hold-title">
        {t.title}
      </h2>
      {error && (
        <p className="chart-hold-error" data-testid="chart-hold-error" data-code={error.code}>
          {errorText(error)}
        </p>
      )}
      <p className="chart-hold-text">
        {reason === 'refused' ? t.refused : t.held}{' '}
        <strong>{fr.safety.dialogPatient(patient.birthName.toLocaleUpperCase('fr-FR'), patient.firstNames[0] ?? '', formatBirthDate(patient.birthDate))}</strong>. {t.readOnly}
      </p>
      <div className="chart-hold-actions">
        <button type="button" onClick={onKeep}>
          {t.keep}
        </button>
        <span className="muted">{t.orChoose}</span>
      </div>
    </section>
  );
}

/** Under the identity banner after a confirmed discrepancy: stays for the session (issue 15). */
export function DiscrepancyMarker({ discrepancies }: { discrepancies: TraitDiscrepancy[] | undefined }) {
  if (!discrepancies || discrepancies.length === 0) return null;
  const fields = discrepancies.map((d) => fr.vigilance.fields[d.field] ?? d.field).join(', ');
  return (
    <p className="identity-discrepancy" data-testid="identity-discrepancy" role="note">
      <strong>⚠ {fr.safety.discrepancy.marker}</strong> — {fr.safety.discrepancy.detail(fields)}
    </p>
  );
}

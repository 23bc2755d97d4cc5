import { useEffect, useState, type ReactNode } from 'react';
import type { ClinicalSummary, RelaisClient } from '../../contract';
import { formatBirthDate } from '../../format';
import { fr } from '../../i18n/fr';
import './clinical-header.css';

const t = fr.clinical;
const kgFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

type Loaded = { patientId: string; summary: ClinicalSummary | null; failed: boolean };

/**
 * One line under the identity banner, in panel width: allergies (severe ones first), ALD, last
 * weight with its date, trusted person / carer with their phone — what the platform has
 * (patient.clinicalSummary). Practice staff get the contacts only. Wraps, never scrolls sideways.
 */
export function ClinicalHeader({ client, patientId }: { client: RelaisClient; patientId: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('patient.clinicalSummary', { patientId }).then((r) => {
      if (live) setLoaded({ patientId, summary: r.ok ? r.value : null, failed: !r.ok });
    });
    return () => {
      live = false;
    };
  }, [client, patientId]);

  const current = loaded?.patientId === patientId ? loaded : null;
  if (!current) return <p className="clinical-header clinical-header--loading muted" data-testid="clinical-header">{t.loading}</p>;
  if (current.failed || !current.summary) return <p className="clinical-header muted" data-testid="clinical-header">{t.unavailable}</p>;
  const s = current.summary;
  const parts: ReactNode[] = [];
  if (s.allergies !== null) {
    parts.push(
      <span key="allergies" className={`clinical-item${s.allergies.some((a) => a.critical) ? ' clinical-item--critical' : ''}`} data-testid="clinical-allergies">
        <strong>{t.allergies}</strong>{' '}
        {s.allergies.length === 0
          ? t.noAllergy
          : s.allergies.map((a, i) => (
              <span key={a.substance}>
                {i > 0 && ', '}
                {a.substance}
                {a.critical && <span className="clinical-critical"> ({t.critical})</span>}
              </span>
            ))}
      </span>,
    );
  }
  if (s.ald && s.ald.length > 0) {
    parts.push(
      <span key="ald" className="clinical-item" data-testid="clinical-ald">
        <strong>{t.ald}</strong> {s.ald.join(' ; ')}
      </span>,
    );
  }
  if (s.weight) {
    parts.push(
      <span key="weight" className="clinical-item" data-testid="clinical-weight">
        <strong>{t.weight}</strong> {t.weightValue(kgFormat.format(s.weight.kg), formatBirthDate(s.weight.date.slice(0, 10)))}
      </span>,
    );
  }
  for (const [i, c] of s.contacts.entries()) {
    parts.push(
      <span key={`c${i}`} className="clinical-item" data-testid="clinical-contact">
        <strong>{c.relation || t.contact}</strong> {c.name}
        {c.phone && (
          <>
            {' '}
            <a href={`tel:${c.phone.replace(/\s+/g, '')}`} aria-label={t.call(c.name, c.phone)}>
              {c.phone}
            </a>
          </>
        )}
      </span>,
    );
  }
  if (parts.length === 0) return <p className="clinical-header muted" data-testid="clinical-header">{t.none}</p>;
  return (
    <p className="clinical-header" aria-label={t.label} data-testid="clinical-header">
      {parts.map((p, i) => (
        <span key={i} className="clinical-part">
          {i > 0 && <span className="clinical-sep" aria-hidden="true"> · </span>}
          {p}
        </span>
      ))}
    </p>
  );
}

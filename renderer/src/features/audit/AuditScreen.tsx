import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditRecord, AuditVerdict, Patient, RelaisClient, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { DateInput } from '../../ui/DateInput';

const t = fr.audit;
const LIMIT = 1000;

const stamp = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });

interface Filter {
  patientId: string;
  from: string;
  to: string;
}

/** Local days of the form → the instants the core filters on (the professional's day, not UTC's). */
function periodOf(filter: Filter): { since?: string; until?: string; patientId?: string } {
  return {
    ...(filter.patientId ? { patientId: filter.patientId } : {}),
    ...(filter.from ? { since: new Date(`${filter.from}T00:00:00`).toISOString() } : {}),
    ...(filter.to ? { until: new Date(`${filter.to}T23:59:59.999`).toISOString() } : {}),
  };
}

/** A JSON detail ({"channel":"url"}) read as « channel : url »; anything else as is. */
function readableDetail(detail: string | null): string {
  if (!detail) return '';
  try {
    const value: unknown = JSON.parse(detail);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k} : ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join(' · ');
    }
  } catch {
    // Plain text detail (« ui », an entry id…).
  }
  return detail;
}

/**
 * « Journal des accès »: the professional's own append-only trail (who opened which patient when,
 * what was posted), filtered by patient and period, exported as CSV, with the state of its
 * integrity chain. A dense table, keyboard-first: the back button takes the focus on arrival.
 */
export function AuditScreen({ client, patients, onClose }: { client: RelaisClient; patients: readonly Patient[]; onClose: () => void }) {
  const [draft, setDraft] = useState<Filter>({ patientId: '', from: '', to: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  const [rows, setRows] = useState<AuditRecord[] | null>(null);
  const [error, setError] = useState<RelaisErrorShape | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<AuditVerdict | RelaisErrorShape | null>(null);
  const back = useRef<HTMLButtonElement>(null);

  useEffect(() => back.current?.focus(), []);

  useEffect(() => {
    let live = true;
    void client.call('audit.list', { limit: LIMIT, ...periodOf(filter) }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setRows(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, filter]);

  useEffect(() => {
    void client.call('audit.verify', {}).then((r) => setVerdict(r.ok ? r.value : r.error));
  }, [client]);

  const nameOf = useCallback(
    (r: AuditRecord): string => {
      if (!r.patientId) return '';
      if (r.patientName) return r.patientName;
      const p = patients.find((x) => x.id === r.patientId);
      return p ? `${p.birthName} ${p.firstNames[0] ?? ''}`.trim() : t.unknownPatient(r.patientId);
    },
    [patients],
  );

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setProblem(t.badPeriod);
      return;
    }
    setProblem(null);
    setFilter(draft);
  };

  const exportCsv = async () => {
    const r = await client.call('audit.exportCsv', periodOf(filter));
    if (!r.ok) {
      setError(r.error);
      return;
    }
    // A BOM so a spreadsheet opens the accents as UTF-8.
    const url = URL.createObjectURL(new Blob(['\uFEFF', r.value], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = t.exportFile(new Date().toISOString().slice(0, 10));
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <main className="audit-screen" id="main" tabIndex={-1} aria-labelledby="audit-title" data-testid="audit-screen">
      <div className="audit-head">
        <button ref={back} type="button" className="button button-quiet button-small" onClick={onClose} data-testid="audit-close">
          ← {t.back}
        </button>
        <h2 id="audit-title" className="section-title">
          {t.title}
        </h2>
        <IntegrityBadge verdict={verdict} />
      </div>
      <p className="muted">{t.intro}</p>
      <form className="audit-filters" onSubmit={apply}>
        <label>
          <span>{t.patient}</span>
          <select value={draft.patientId} onChange={(e) => setDraft({ ...draft, patientId: e.target.value })} data-testid="audit-patient">
            <option value="">{t.allPatients}</option>
            {patients.map((p) => (
              <option key={p.id} value={p.id}>
                {p.birthName} {p.firstNames.join(' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.from}</span>
          <DateInput value={draft.from} onChange={(iso) => setDraft({ ...draft, from: iso })} />
        </label>
        <label>
          <span>{t.to}</span>
          <DateInput value={draft.to} onChange={(iso) => setDraft({ ...draft, to: iso })} />
        </label>
        <button type="submit" className="button button-small">
          {t.apply}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => {
            const empty = { patientId: '', from: '', to: '' };
            setDraft(empty);
            setFilter(empty);
            setProblem(null);
          }}
        >
          {t.reset}
        </button>
        <span className="audit-spacer" />
        <button type="button" className="button button-small" onClick={() => void exportCsv()} data-testid="audit-export">
          {t.export}
        </button>
      </form>
      {(problem || error) && (
        <p className="error-banner" role="alert">
          {problem ?? errorMessage(error!.code)}
        </p>
      )}
      {rows === null && !error ? (
        <p className="muted">{t.loading}</p>
      ) : rows && rows.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : rows ? (
        <>
          <p className="muted audit-count" role="status">
            {t.count(rows.length, LIMIT)}
          </p>
          <div className="audit-table-wrap">
            <table className="audit-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t.columns.at}</th>
                  <th scope="col">{t.columns.action}</th>
                  <th scope="col">{t.columns.patient}</th>
                  <th scope="col">{t.columns.detail}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq} data-action={r.action}>
                    <td className="audit-at">{stamp.format(new Date(r.at))}</td>
                    <td title={r.action}>{t.actions[r.action] ?? r.action}</td>
                    <td>{nameOf(r)}</td>
                    <td className="audit-detail">{readableDetail(r.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </main>
  );
}

function IntegrityBadge({ verdict }: { verdict: AuditVerdict | RelaisErrorShape | null }) {
  if (verdict === null) return <span className="audit-integrity">{t.verifying}</span>;
  if ('code' in verdict) {
    return (
      <span className="audit-integrity audit-integrity--unknown" role="status">
        {t.verifyFailed(errorMessage(verdict.code))}
      </span>
    );
  }
  return verdict.ok ? (
    <span className="audit-integrity audit-integrity--ok" role="status" data-testid="audit-integrity">
      ✓ {t.verified(verdict.checked)}
    </span>
  ) : (
    <span className="audit-integrity audit-integrity--broken" role="alert" data-testid="audit-integrity" title={t.brokenHint}>
      ⚠ {t.broken(verdict.line)} — {t.brokenHint}
    </span>
  );
}

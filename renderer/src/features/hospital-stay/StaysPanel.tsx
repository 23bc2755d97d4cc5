import { CHECKLIST_ITEMS, type Admission, type Checklist, type ChecklistItem, type Discharge } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtDay, fmtStamp } from '../../ui/dates';
import { Panel } from '../../ui/Panel';
import type { StaysController, StaysViewState } from './controller';

const t = fr.stays;

/** Treatments before / after, side by side, each row saying what changed. */
export function ReconciliationView({ d }: { d: Discharge }) {
  return (
    <div className="stay-discharge" data-testid="stay-discharge">
      <p className="stay-discharge-title">{t.dischargeFrom(d.establishment, d.date ? fmtDay(d.date.slice(0, 10)) : '')}</p>
      <table className="stay-reconciliation" data-testid="stay-reconciliation">
        <caption>{t.reconciliation}</caption>
        <thead>
          <tr>
            <th scope="col">{t.medication}</th>
            <th scope="col">{t.before}</th>
            <th scope="col">{t.after}</th>
            <th scope="col">{t.change}</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((r) => (
            <tr key={`${r.medication}-${r.change}`} className={`stay-row stay-row--${r.change}`} data-change={r.change}>
              <th scope="row">{r.medication}</th>
              <td>{r.before ?? t.none}</td>
              <td>{r.after ?? t.none}</td>
              <td>
                <span className={`stay-change stay-change--${r.change}`}>{t.changes[r.change]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChecklistView({ admission, checklist, onTick }: { admission: Admission; checklist: Checklist | undefined; onTick: ((item: ChecklistItem) => void) | null }) {
  return (
    <div className="stay-checklist" data-testid="stay-checklist">
      <p className="stay-checklist-title">{t.checklist(admission.establishment)}</p>
      <ul>
        {CHECKLIST_ITEMS.map((item) => {
          const row = checklist?.items.find((x) => x.item === item);
          const done = !!row?.doneBy;
          return (
            <li key={item} className={`stay-check${done ? ' stay-check--done' : ''}`} data-item={item} data-done={done ? 'true' : 'false'}>
              <label>
                <input type="checkbox" checked={done} disabled={done || !onTick} onChange={() => onTick?.(item)} /> {t.items[item]}
              </label>
              {row?.doneBy && <span className="stay-check-by">{t.doneBy(row.doneBy, row.doneAt ? fmtStamp(row.doneAt) : null)}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** « Séjours hospitaliers »: emergency fiche, discharges with reconciliation, admission checklists. */
export function StaysPanel({ s, c, hidden = false }: { s: StaysViewState; c: StaysController; hidden?: boolean }) {
  const fiche = c.can('journal.write');
  const canTick = c.can('support.request');
  return (
    <Panel id="stays" className="stays-panel" title={t.title} hidden={hidden}>
      {fiche && (
        <div className="stay-fiche">
          <label className="stay-fiche-est">
            <span>{t.establishment}</span>
            <select value={s.establishmentId} onChange={(e) => c.chooseEstablishment(e.target.value)} data-testid="stay-establishment">
              {(s.establishments ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {e.city ? `${e.name} (${e.city})` : e.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-small stay-fiche-button" title={t.ficheHint} disabled={s.ficheBusy || !s.establishmentId} onClick={() => void c.emergencyFiche()} data-testid="stay-fiche">
            {s.ficheBusy ? t.ficheBusy : t.fiche}
          </button>
        </div>
      )}
      {s.ficheError && <p className="form-error">{errorMessage(s.ficheError.code)}</p>}
      {s.ficheUrl && (
        <div className="stay-fiche-preview">
          <p className="panel-meta">{t.ficheReady}</p>
          <iframe className="stay-fiche-frame" src={s.ficheUrl} title={t.previewTitle} data-testid="stay-fiche-preview" />
          <button type="button" className="button button-small button-quiet" onClick={c.closeFiche}>
            {t.closePreview}
          </button>
        </div>
      )}
      {s.error && <p className="panel-empty">{fr.panels.failed(errorMessage(s.error.code))}</p>}
      {s.admissions.map((a) => (
        <ChecklistView key={a.id} admission={a} checklist={s.checklists[a.id]} onTick={canTick ? (item) => void c.tick(a.id, item) : null} />
      ))}
      {c.can('journal.read-medical') && (
        <>
          <h3 className="stay-subtitle">{t.discharges}</h3>
          {s.discharges && s.discharges.length === 0 && <p className="panel-empty">{t.noDischarge}</p>}
          {(s.discharges ?? []).map((d) => (
            <ReconciliationView key={d.id} d={d} />
          ))}
        </>
      )}
    </Panel>
  );
}

import { useState, useSyncExternalStore } from 'react';
import type { CareTeamMember, PpsEdit } from '../../contract';
import { useModalDialog } from '../../hooks/useModalDialog';
import { errorMessage, fr } from '../../i18n/fr';
import type { PpsEditController } from './controller';
import { DateInput } from '../../ui/DateInput';
import { DialogPatient } from '../../ui/DialogPatient';
import { useCloseWhenChartHeld } from '../../ui/chart-held';

const t = fr.ppsEdit;
const PRIORITIES = ['high', 'medium', 'low'] as const;

/** First missing wording, in the order the form shows it (checked before anything is sent). */
function firstProblem(edit: PpsEdit): string | null {
  const o = edit.objectives.findIndex((x) => x.description.trim() === '');
  if (o >= 0) return t.emptyObjective(o + 1);
  const i = edit.interventions.findIndex((x) => x.description.trim() === '');
  if (i >= 0) return t.emptyIntervention(i + 1);
  const p = edit.preferences.findIndex((x) => x.trim() === '');
  if (p >= 0) return t.emptyPreference(p + 1);
  return null;
}

/**
 * « Modifier le PPS »: objectives (add, edit, achieve), interventions with who and by when, the
 * review date and the patient's wishes. A modal dialog, every field labelled, Escape cancels.
 */
export function PpsEditDialog({ controller, careTeam }: { controller: PpsEditController; careTeam: readonly CareTeamMember[] }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const ref = useModalDialog(state.editing !== null);
  useCloseWhenChartHeld(state.editing !== null, controller.suspend);
  const [problem, setProblem] = useState<string | null>(null);
  const editing = state.editing;
  const edit = editing?.edit;
  const set = (next: PpsEdit) => {
    setProblem(null);
    controller.change(next);
  };

  // Performers: the care team (by PractitionerRole), plus whoever already carries out an
  // intervention and is not in it (kept as they are, by their own id).
  const people = careTeam.map((m) => ({ id: m.id, label: `${m.name}, ${m.roleLabel}` }));
  for (const x of editing?.pps.interventions ?? []) {
    if (x.performer && !people.some((p) => p.id === x.performer!.id || p.label.startsWith(`${x.performer!.name},`))) {
      people.push({ id: x.performer.id, label: `${x.performer.name}, ${x.performer.roleLabel}` });
    }
  }
  /** The option a performer id selects: the care-team role of the same person when the id is a person's. */
  const selected = (id: string | null): string => {
    if (!id) return '';
    if (people.some((p) => p.id === id)) return id;
    const person = editing?.pps.interventions.find((x) => x.performer?.id === id)?.performer;
    return people.find((p) => person && p.label.startsWith(`${person.name},`))?.id ?? id;
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!edit) return;
    const missing = firstProblem(edit);
    if (missing) {
      setProblem(missing);
      return;
    }
    void controller.submit();
  };

  return (
    <dialog
      ref={ref}
      className="pps-edit"
      aria-labelledby="pps-edit-title"
      data-testid="pps-edit-dialog"
      onCancel={(e) => {
        e.preventDefault();
        controller.cancel();
      }}
    >
      {edit && editing && (
        <form onSubmit={submit} noValidate>
          <h2 id="pps-edit-title" className="pps-edit-title">
            {t.title}
            <DialogPatient />
          </h2>
          <p className="muted">{t.intro}</p>

          <fieldset className="pps-edit-section">
            <legend>{t.objectives}</legend>
            {edit.objectives.map((o, n) => {
              const put = (patch: Partial<typeof o>) => set({ ...edit, objectives: edit.objectives.map((x, k) => (k === n ? { ...x, ...patch } : x)) });
              const id = `pps-obj-${n}`;
              return (
                <div key={n} className="pps-edit-row pps-edit-objective" role="group" aria-label={t.objective(n + 1)} data-testid="pps-edit-objective">
                  <label className="pps-edit-wide">
                    <span>{t.description}</span>
                    <input id={id} value={o.description} maxLength={500} onChange={(e) => put({ description: e.target.value })} />
                  </label>
                  <label>
                    <span>{t.priority}</span>
                    <select value={o.priority ?? ''} onChange={(e) => put({ priority: (e.target.value || null) as typeof o.priority })}>
                      <option value="">{t.priorities.none}</option>
                      {PRIORITIES.map((p) => (
                        <option key={p} value={p}>
                          {t.priorities[p]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="pps-edit-wide">
                    <span>{t.criterion}</span>
                    <input value={o.criterion ?? ''} maxLength={500} onChange={(e) => put({ criterion: e.target.value })} />
                  </label>
                  <label>
                    <span>{t.dueDate}</span>
                    <DateInput value={o.dueDate ?? ''} onChange={(iso) => put({ dueDate: iso || null })} />
                  </label>
                  <label className="pps-edit-check">
                    <input type="checkbox" checked={o.achieved} onChange={(e) => put({ achieved: e.target.checked })} />
                    <span>{t.achieved}</span>
                  </label>
                </div>
              );
            })}
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => set({ ...edit, objectives: [...edit.objectives, { id: null, description: '', priority: null, criterion: '', dueDate: null, achieved: false }] })}
            >
              {t.addObjective}
            </button>
          </fieldset>

          <fieldset className="pps-edit-section">
            <legend>{t.interventions}</legend>
            {edit.interventions.map((x, n) => {
              const put = (patch: Partial<typeof x>) => set({ ...edit, interventions: edit.interventions.map((y, k) => (k === n ? { ...y, ...patch } : y)) });
              return (
                <div key={n} className="pps-edit-row" role="group" aria-label={t.intervention(n + 1)} data-testid="pps-edit-intervention">
                  <label className="pps-edit-wide">
                    <span>{t.interventionDescription}</span>
                    <input value={x.description} maxLength={500} onChange={(e) => put({ description: e.target.value })} />
                  </label>
                  <label>
                    <span>{t.performer}</span>
                    <select value={selected(x.performerId)} onChange={(e) => put({ performerId: e.target.value || null })}>
                      <option value="">{t.nobody}</option>
                      {people.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    <span>{t.until}</span>
                    <DateInput value={x.scheduledEnd ?? ''} onChange={(iso) => put({ scheduledEnd: iso || null })} />
                  </label>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    aria-label={t.removeInterventionLabel(n + 1)}
                    onClick={() => set({ ...edit, interventions: edit.interventions.filter((_, k) => k !== n) })}
                  >
                    {t.removeIntervention}
                  </button>
                </div>
              );
            })}
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => set({ ...edit, interventions: [...edit.interventions, { source: null, description: '', performerId: null, scheduledEnd: null }] })}
            >
              {t.addIntervention}
            </button>
          </fieldset>

          <fieldset className="pps-edit-section">
            <legend>{t.nextReview}</legend>
            <label>
              <span className="visually-hidden">{t.nextReview}</span>
              <DateInput value={edit.nextReview ?? ''} onChange={(iso) => set({ ...edit, nextReview: iso || null })} data-testid="pps-edit-review" />
            </label>
          </fieldset>

          <fieldset className="pps-edit-section">
            <legend>{t.preferences}</legend>
            {edit.preferences.map((p, n) => (
              <div key={n} className="pps-edit-row">
                <label className="pps-edit-wide">
                  <span className="visually-hidden">{t.preference(n + 1)}</span>
                  <textarea
                    rows={2}
                    value={p}
                    maxLength={1000}
                    onChange={(e) => set({ ...edit, preferences: edit.preferences.map((x, k) => (k === n ? e.target.value : x)) })}
                  />
                </label>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={t.removePreference(n + 1)}
                  onClick={() => set({ ...edit, preferences: edit.preferences.filter((_, k) => k !== n) })}
                >
                  {t.removeIntervention}
                </button>
              </div>
            ))}
            <button type="button" className="button button-small button-quiet" onClick={() => set({ ...edit, preferences: [...edit.preferences, ''] })}>
              {t.addPreference}
            </button>
          </fieldset>

          {(problem || state.error) && (
            <p className="error-banner" role="alert" data-testid="pps-edit-error">
              {problem ?? t.failed(errorMessage(state.error!.code))}
            </p>
          )}
          <div className="pps-edit-actions">
            <button type="button" className="button button-quiet" onClick={controller.cancel}>
              {t.cancel}
            </button>
            <button type="submit" className="button" disabled={state.sending} data-testid="pps-edit-send">
              {state.sending ? t.sending : t.send}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

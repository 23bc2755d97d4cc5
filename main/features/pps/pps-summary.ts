/**
 * The one line the team reads in the journal after a PPS update (« PPS mis à jour : objectif
 * atteint « … » ; réévaluation le 12/10/2026 »): what the edit changed compared with the PPS the
 * professional opened. It is content posted to the platform (a journal entry of kind pps), written
 * in French for the other professionals, not UI text of this window.
 */
import type { CareTeamMember, Pps, PpsEdit } from '../../../contract';

const frDay = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
};
const quoted = (s: string): string => `« ${s.length > 80 ? `${s.slice(0, 79)}…` : s} »`;

export function describePpsChanges(before: Pps | null, edit: PpsEdit, careTeam: readonly CareTeamMember[] = []): string {
  const parts: string[] = [];
  const who = (id: string | null) => (id ? careTeam.find((m) => m.id === id)?.name : undefined);

  for (const o of edit.objectives) {
    const old = o.id ? before?.objectives.find((x) => x.id === o.id) : undefined;
    if (!o.id || !old) {
      parts.push(`objectif ajouté ${quoted(o.description)}`);
      continue;
    }
    if (o.achieved && old.achievement !== 'achieved') parts.push(`objectif atteint ${quoted(o.description)}`);
    else if (!o.achieved && old.achievement === 'achieved') parts.push(`objectif repris ${quoted(o.description)}`);
    else if (
      old.description !== o.description ||
      (old.criterion ?? '') !== (o.criterion ?? '') ||
      old.dueDate !== o.dueDate ||
      old.priority !== o.priority
    ) {
      parts.push(`objectif modifié ${quoted(o.description)}`);
    }
  }

  const shown = before?.interventions ?? [];
  for (const e of edit.interventions) {
    const old = e.source !== null ? shown[e.source] : undefined;
    const details = [who(e.performerId), e.scheduledEnd ? `d'ici le ${frDay(e.scheduledEnd)}` : null].filter(Boolean).join(', ');
    const suffix = details ? ` (${details})` : '';
    if (!old) parts.push(`intervention ajoutée ${quoted(e.description)}${suffix}`);
    else if (old.description !== e.description || (old.performer?.id ?? null) !== e.performerId || old.scheduledEnd !== e.scheduledEnd) {
      parts.push(`intervention modifiée ${quoted(e.description)}${suffix}`);
    }
  }
  shown.forEach((old, i) => {
    if (!edit.interventions.some((e) => e.source === i)) parts.push(`intervention arrêtée ${quoted(old.description)}`);
  });

  if ((before?.nextReview ?? null) !== edit.nextReview) {
    parts.push(edit.nextReview ? `réévaluation le ${frDay(edit.nextReview)}` : 'réévaluation non planifiée');
  }
  if (JSON.stringify(before?.preferences ?? []) !== JSON.stringify(edit.preferences)) parts.push('préférences du patient mises à jour');

  return parts.length > 0 ? `PPS mis à jour : ${parts.join(' ; ')}` : 'PPS mis à jour (relu sans changement)';
}

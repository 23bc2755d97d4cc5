import { useId } from 'react';
import type { Confidentiality } from '../../contract';
import { fr } from '../../i18n/fr';

const t = fr.safety.confidentiality;

/**
 * Who a journal message will be shown to, chosen by its author before posting (issue 15).
 * TRE-G15 professions whose notes are clinical by nature start on « réservé aux soignants »
 * (médecin 10, pharmacien 21, sage-femme 50, infirmier 60); the others (kinésithérapeute,
 * psychologue, social…) on « visible par toute l'équipe ». A role that does not read medical
 * entries (a secretary) has no choice: her messages are visible to the team.
 */
const MEDICAL_BY_DEFAULT = new Set(['10', '21', '50', '60']);

export function defaultAudience(professionCode: string | undefined, readsMedical: boolean): Confidentiality | null {
  if (!readsMedical) return null;
  return professionCode && MEDICAL_BY_DEFAULT.has(professionCode) ? 'medical' : 'normal';
}

export function AudienceChoice({ value, onChange, locked }: { value: Confidentiality; onChange: (v: Confidentiality) => void; locked?: boolean }) {
  const name = useId();
  return (
    <fieldset className="audience-choice" data-testid="audience-choice">
      <legend className="audience-choice-legend">{t.legend}</legend>
      <label className="audience-choice-option">
        <input type="radio" name={name} value="medical" checked={value === 'medical'} onChange={() => onChange('medical')} data-testid="audience-medical" />
        {t.medical}
      </label>
      <label className="audience-choice-option">
        <input type="radio" name={name} value="normal" checked={value === 'normal'} disabled={locked} onChange={() => onChange('normal')} data-testid="audience-team" />
        {t.team}
      </label>
      <span className="audience-choice-hint" data-testid="audience-hint" aria-live="polite">
        {value === 'medical' ? t.medicalHint : t.teamHint}
      </span>
    </fieldset>
  );
}

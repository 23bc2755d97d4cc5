import { useMemo } from 'react';
import type { Patient } from '../../contract';
import { computeAge, dateOfDayKey, differs, formatBirthDate, formatIns, type Age } from '../../format';
import { fr } from '../../i18n/fr';
import { useToday } from '../../today';

export function formatAge(age: Age): string {
  if (!age) return '';
  const text = fr.age[age.unit](age.value);
  return age.approximate ? fr.age.approximate(text) : text;
}

/**
 * RNIV identity banner: the strict traits first (birth name in capitals, birth first names
 * with the first one highlighted), then used name, sex, birth date and age, birth place, INS
 * with its type and the identity status. The INS is shown as usable only when qualified.
 */
export function IdentityBanner({ patient }: { patient: Patient }) {
  const today = useToday();
  const age = useMemo(() => formatAge(computeAge(patient.birthDate, dateOfDayKey(today))), [patient.birthDate, today]);
  const qualified = patient.identityStatus === 'QUAL';
  const [first, ...others] = patient.firstNames;
  const birthPlace = patient.birthPlace;
  return (
    <section
      className={`identity identity--${patient.identityStatus}`}
      data-testid="identity-banner"
      aria-label={fr.identity.bannerLabel}
    >
      <div className="identity-head">
        <h2 className="patient-name" data-testid="patient-name" title={[patient.birthName.toLocaleUpperCase('fr-FR'), ...patient.firstNames].join(' ')}>
          <span className="birth-name" title={fr.identity.birthNameLabel}>
            {patient.birthName.toLocaleUpperCase('fr-FR')}
          </span>{' '}
          <strong className="first-name" title={fr.identity.firstNamesLabel}>
            {first}
          </strong>
          {others.length > 0 && <span className="other-first-names"> {others.join(' ')}</span>}
        </h2>
        <span className={`badge badge-status badge-status--${patient.identityStatus}`}>
          {fr.identity.status[patient.identityStatus]}
        </span>
      </div>
      <dl className="identity-traits">
        {differs(patient.usedName, patient.birthName) && (
          <div>
            <dt>{fr.identity.usedName}</dt>
            <dd>{patient.usedName.toLocaleUpperCase('fr-FR')}</dd>
          </div>
        )}
        {differs(patient.usedFirstName, first ?? '') && (
          <div>
            <dt>{fr.identity.usedFirstName}</dt>
            <dd>{patient.usedFirstName}</dd>
          </div>
        )}
        <div className="trait trait--compact">
          <dt>{fr.identity.sexLabel}</dt>
          <dd>{fr.identity.sex[patient.sex]}</dd>
        </div>
        <div className="trait trait--compact">
          <dt>{fr.identity.birthDateLabel}</dt>
          <dd>
            {formatBirthDate(patient.birthDate)}
            {age && <span className="age"> ({age})</span>}
          </dd>
        </div>
        {birthPlace && (
          <div className="trait trait--birthplace">
            <dt>{fr.identity.birthPlaceLabel}</dt>
            <dd>{birthPlace.startsWith('99') ? fr.identity.birthPlaceAbroad(birthPlace) : birthPlace}</dd>
          </div>
        )}
        <div className="trait trait--compact trait--ins">
          <dt>
            {fr.identity.insLabel}
            {patient.ins && <span className="ins-type"> ({fr.identity.oid[patient.ins.oid]})</span>}
          </dt>
          <dd>
            {patient.ins ? (
              <span
                className={qualified ? 'ins' : 'ins ins--unusable'}
                data-testid="patient-ins"
                data-qualified={qualified ? 'true' : 'false'}
                title={`${fr.identity.insLabel} (${fr.identity.oid[patient.ins.oid]})${qualified ? '' : ` — ${fr.identity.insNotQualified}`}`}
              >
                {formatIns(patient.ins.value)}
              </span>
            ) : (
              <span className="ins ins--unusable" data-testid="patient-ins" data-qualified="false">
                {fr.identity.noIns}
              </span>
            )}
          </dd>
        </div>
      </dl>
      {patient.ins && !qualified && <p className="ins-note">{fr.identity.insNotQualified}</p>}
    </section>
  );
}

import type { CareTeamMember } from '../../contract';
import { fr } from '../../i18n/fr';
import { Panel } from '../../ui/Panel';

const t = fr.panels.careTeam;

export function CareTeamPanel({ members, hidden }: { members: CareTeamMember[]; hidden?: boolean }) {
  return (
    <Panel id="care-team" title={t.title} count={members.length} hidden={hidden}>
      {members.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {members.map((m) => (
            <li key={m.id} className="member">
              <span className="member-head">
                <span className="member-role">{m.roleLabel}</span>
                {m.coordinator && <span className="badge badge-priority">{t.coordinator}</span>}
              </span>
              <span className="member-name">{m.name}</span>
              {m.organization && <span className="panel-meta">{m.organization}</span>}
              <span className="member-contacts">
                {m.phone && (
                  <a href={`tel:${m.phone.replace(/\s+/g, '')}`} aria-label={t.call(m.name, m.phone)}>
                    {m.phone}
                  </a>
                )}
                {m.email && (
                  <a href={`mailto:${m.email}`} aria-label={t.mail(m.name)}>
                    {m.email}
                  </a>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

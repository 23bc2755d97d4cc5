/**
 * More followed patients for the steady-state tests and bench (issue 17 item 7): copies of a
 * seeded patient and its care team (the demo GP among its members), written straight into the
 * sandbox's repository. Deterministic ids and names: `pat-steady-0001`, … No INS (they are never
 * opened by INS), no journal (an empty first sync).
 */
import type { CareTeam, Patient } from '@medplum/fhirtypes';
import type { Sandbox } from '../../sandbox/server';

export const STEADY_PATIENT_PREFIX = 'pat-steady-';

export async function seedFollowedPatients(
  sandbox: Pick<Sandbox, 'repo'>,
  count: number,
  options: { first?: number; template?: string } = {},
): Promise<string[]> {
  const template = options.template ?? 'pat-01';
  const first = options.first ?? 1;
  const patient = await sandbox.repo.readResource<Patient>('Patient', template);
  const team = await sandbox.repo.readResource<CareTeam>('CareTeam', `ct-${template}`);
  const ids: string[] = [];
  for (let i = first; i < first + count; i++) {
    const id = `${STEADY_PATIENT_PREFIX}${String(i).padStart(4, '0')}`;
    const { identifier: _ins, meta: _pm, ...rest } = patient;
    await sandbox.repo.createResource<Patient>(
      { ...rest, id, name: [{ use: 'official', family: `SUIVI${String(i).padStart(4, '0')}`, given: ['Camille'] }] },
      { assignedId: true },
    );
    const { meta: _tm, ...teamRest } = team;
    await sandbox.repo.createResource<CareTeam>(
      { ...teamRest, id: `ct-${id}`, subject: { reference: `Patient/${id}` } },
      { assignedId: true },
    );
    ids.push(id);
  }
  return ids;
}

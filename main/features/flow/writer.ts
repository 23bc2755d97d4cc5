/**
 * Outbox writer of kind `task-create`: the Task of « Créer une tâche » on a journal message,
 * idempotent on the row's client id (Task.identifier + If-None-Exist). A message posted from
 * here and still in the outbox is sent first (strict order), so its platform id is known.
 */
import { RelaisError } from '../../../contract';
import { LOCAL_ENTRY_PREFIX, type OutboxWriter } from '../../outbox/outbox';

export const TASK_CREATE_KIND = 'task-create';

/** What a task-create row carries (JSON in outbox.payload). */
export interface TaskCreatePayload {
  patientId: string;
  entryId: string;
  ownerId: string;
  ownerDisplay: string;
  description: string;
  dueDate: string;
  /** ISO instant of the professional's action (enqueue time). */
  authoredOn: string;
}

export const taskCreateWriter: OutboxWriter = async (raw, { clientId, professional, platform, platformIdOfLocalEntry }) => {
  const p = raw as TaskCreatePayload;
  let entryId = p.entryId;
  if (entryId.startsWith(LOCAL_ENTRY_PREFIX)) {
    const platformId = platformIdOfLocalEntry?.(entryId);
    if (!platformId) throw new RelaisError('INVALID_INPUT', 'the message of this task could not be posted');
    entryId = platformId;
  }
  const { id } = await platform.createEntryTask({
    clientId,
    patientId: p.patientId,
    entryId,
    ownerId: p.ownerId,
    ownerDisplay: p.ownerDisplay,
    requesterId: professional.id,
    description: p.description,
    dueDate: p.dueDate,
    authoredOn: p.authoredOn,
  });
  return { platformId: id };
};

/**
 * The daily flow (issue 15, items 4–5), wired for the core (main/features/feature.ts): « À
 * traiter » across the followed patients, and « Créer une tâche » from a journal message (outbox
 * writer of kind task-create). Permissions: contract/method-permissions.ts.
 */
import { RelaisError, type ApiRequest, type ApiResponse } from '../../../contract';
import type { FeatureContext } from '../feature';
import { buildTodoList, type TodoPlatformPart } from './todo';
import { TASK_CREATE_KIND, taskCreateWriter, type TaskCreatePayload } from './writer';

export function createFlowFeature(o: FeatureContext) {
  // The platform's part of the last complete list: `platform: false` rebuilds around it.
  let lastPlatformPart: TodoPlatformPart | null = null;
  const handlers = {
    'todo.list': async ({ sync, platform }: ApiRequest<'todo.list'>): Promise<ApiResponse<'todo.list'>> => {
      const reuse = platform === false && lastPlatformPart?.complete ? lastPlatformPart : null;
      const { list, platformPart } = await buildTodoList(o, { sync: sync !== false && platform !== false, reuse });
      lastPlatformPart = platformPart;
      return list;
    },

    'task.createFromEntry': async (req: ApiRequest<'task.createFromEntry'>): Promise<ApiResponse<'task.createFromEntry'>> => {
      o.assertKnownPatient(req.patientId);
      const entry = o.store.journal.get(req.entryId);
      if (!entry || entry.patientId !== req.patientId) throw new RelaisError('INVALID_INPUT', 'the message is not in this journal', 'entryId');
      if (req.dueDate < o.today()) throw new RelaisError('INVALID_INPUT', 'due date before today', 'dueDate');
      const member = (await o.careTeamOf(req.patientId)).find((m) => m.id === req.ownerId);
      if (!member) throw new RelaisError('INVALID_INPUT', 'not a member of the care team', 'ownerId');
      const payload: TaskCreatePayload = {
        patientId: req.patientId,
        entryId: req.entryId,
        ownerId: member.id,
        ownerDisplay: member.name,
        description: req.description.trim(),
        dueDate: req.dueDate,
        authoredOn: o.now().toISOString(),
      };
      const item = o.outbox.enqueue({
        kind: TASK_CREATE_KIND,
        patientId: req.patientId,
        payload,
        summary: `Tâche pour ${member.name} : ${payload.description}`.slice(0, 200),
      });
      o.store.audit(o.actor, 'task.create', req.patientId, JSON.stringify({ clientId: item.id, entryId: req.entryId, ownerId: member.id }));
      return { clientId: item.id, status: item.status };
    },
  };
  return { handlers, writers: { [TASK_CREATE_KIND]: taskCreateWriter } };
}

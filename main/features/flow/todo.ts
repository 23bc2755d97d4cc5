/**
 * « À traiter »: what needs the professional across every followed patient — active alerts,
 * answers to their own messages, their overdue tasks, unread entries — built from the local store
 * (after an incremental sync of each journal) and two platform searches.
 */
import { can, RelaisError, type Alert, type Patient, type TodoItem, type TodoList } from '../../../contract';
import type { FeatureContext } from '../feature';

/** Unread entries listed (the badges count them all). */
const MAX_UNREAD_ITEMS = 60;
/** Journals synced at once: the platform is shared with the whole territory. */
const SYNC_CONCURRENCY = 3;

const unreachable = (e: unknown) => e instanceof RelaisError && e.code === 'PLATFORM_UNREACHABLE';

async function syncAll(o: FeatureContext, patients: readonly Patient[]): Promise<boolean> {
  let offline = false;
  let next = 0;
  const worker = async () => {
    while (!offline && next < patients.length) {
      const p = patients[next++]!;
      try {
        await o.track(() => o.journal.sync(p.id));
      } catch (error) {
        // One patient failing (left the care team…) does not hide the others; the platform gone does.
        if (unreachable(error)) offline = true;
      }
    }
  };
  await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
  return !offline;
}

export async function buildTodoList(o: FeatureContext, sync = true): Promise<TodoList> {
  const patients = await o.followedPatients();
  const byId = new Map(patients.map((p) => [p.id, p]));
  let complete = sync ? await syncAll(o, patients) : true;
  const medical = can(o.role(), 'journal.read-medical');
  const items: TodoItem[] = [];

  let alerts: Alert[] = [];
  if (complete) {
    try {
      alerts = (await o.track(() => o.platform.fetchActiveAlerts(patients.map((p) => p.id)))).alerts;
    } catch {
      complete = false;
    }
  }
  for (const a of alerts) {
    const patient = byId.get(a.patientId);
    // Practice staff see that there is an alert, not its clinical text (issue 15, item 3).
    if (patient) items.push({ kind: 'alert', patient, id: a.id, text: medical ? a.text : '', date: a.start, author: a.author });
  }

  const { entries, counts } = o.store.journal.unreadAcrossPatients(500);
  const replies: TodoItem[] = [];
  const unread: TodoItem[] = [];
  for (const e of entries) {
    const patient = byId.get(e.patientId);
    if (!patient) continue;
    const parent = e.replyTo ? o.store.journal.get(e.replyTo) : null;
    if (parent && parent.author.id === o.professional.id) {
      replies.push({ kind: 'reply', patient, id: e.id, text: e.text, date: e.date, author: e.author, parentText: e.replyQuote?.text ?? parent.text.slice(0, 140) });
    } else if (unread.length < MAX_UNREAD_ITEMS) {
      unread.push({ kind: 'unread', patient, id: e.id, text: e.text, date: e.date, author: e.author });
    }
  }

  const tasks: TodoItem[] = [];
  if (complete) {
    try {
      const today = o.today();
      for (const t of await o.track(() => o.platform.fetchOpenTasksOwnedBy(o.professional.id))) {
        const patient = byId.get(t.patientId);
        if (patient && t.dueDate && t.dueDate < today) {
          tasks.push({ kind: 'task', patient, id: t.id, text: t.description, date: t.dueDate, author: t.requester });
        }
      }
    } catch {
      complete = false;
    }
  }
  tasks.sort((a, b) => a.date.localeCompare(b.date));
  items.sort((a, b) => b.date.localeCompare(a.date));
  const unreadByPatient: Record<string, number> = {};
  for (const [id, n] of Object.entries(counts)) if (byId.has(id) && n > 0) unreadByPatient[id] = n;
  return { items: [...items, ...replies, ...tasks, ...unread], unreadByPatient, complete, generatedAt: o.now().toISOString() };
}

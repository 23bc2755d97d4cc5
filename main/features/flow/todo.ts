/**
 * « À traiter »: what needs the professional across every followed patient — active alerts,
 * answers to their own messages, their overdue tasks, unread entries — built from the local store
 * (after an incremental sync of each journal) and two platform searches.
 */
import { can, RelaisError, type Alert, type Patient, type TodoItem, type TodoList } from '../../../contract';
import type { FeatureContext } from '../feature';
import type { OpenTask } from './fhir-adapter';

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

/** What « À traiter » asks the platform: the followed patients, their active alerts, the professional's open tasks. */
export interface TodoPlatformPart {
  patients: Patient[];
  alerts: Alert[];
  tasks: OpenTask[];
  /** False when a search failed (offline): the list says it is incomplete. */
  complete: boolean;
}

async function fetchPlatformPart(o: FeatureContext, patients: readonly Patient[], sync: boolean): Promise<TodoPlatformPart> {
  const reachable = sync ? await syncAll(o, patients) : true;
  if (!reachable) return { patients: [...patients], alerts: [], tasks: [], complete: false };
  // Both at once: over a WAN, one round trip instead of two. One failing keeps the other's items.
  const [alerts, tasks] = await Promise.allSettled([
    o.track(() => o.platform.fetchActiveAlerts(patients.map((p) => p.id))),
    o.track(() => o.platform.fetchOpenTasksOwnedBy(o.professional.id)),
  ]);
  return {
    patients: [...patients],
    alerts: alerts.status === 'fulfilled' ? alerts.value.alerts : [],
    tasks: tasks.status === 'fulfilled' ? tasks.value : [],
    complete: alerts.status === 'fulfilled' && tasks.status === 'fulfilled',
  };
}

export interface TodoOptions {
  /** Sync every followed journal first (the « Actualiser » of the list). */
  sync: boolean;
  /**
   * The platform's part of the last list, when only the store changed (a patient left: its
   * entries became read). A switch of patient then costs the platform nothing (issue 17, item 7)
   * and the window nothing while it paints the next journal (issue 12).
   */
  reuse: TodoPlatformPart | null;
}

/** The list, and the platform part it was built from (kept by the caller for a later `reuse`). */
export async function buildTodoList(o: FeatureContext, options: TodoOptions): Promise<{ list: TodoList; platformPart: TodoPlatformPart }> {
  const platformPart = options.reuse ?? (await fetchPlatformPart(o, await o.followedPatients(), options.sync));
  const byId = new Map(platformPart.patients.map((p) => [p.id, p]));
  const { complete } = platformPart;
  const medical = can(o.role(), 'journal.read-medical');
  const items: TodoItem[] = [];

  for (const a of platformPart.alerts) {
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
  const today = o.today();
  for (const t of platformPart.tasks) {
    const patient = byId.get(t.patientId);
    if (patient && t.dueDate && t.dueDate < today) {
      tasks.push({ kind: 'task', patient, id: t.id, text: t.description, date: t.dueDate, author: t.requester });
    }
  }
  tasks.sort((a, b) => a.date.localeCompare(b.date));
  items.sort((a, b) => b.date.localeCompare(a.date));
  const unreadByPatient: Record<string, number> = {};
  for (const [id, n] of Object.entries(counts)) if (byId.has(id) && n > 0) unreadByPatient[id] = n;
  return { list: { items: [...items, ...replies, ...tasks, ...unread], unreadByPatient, complete, generatedAt: o.now().toISOString() }, platformPart };
}

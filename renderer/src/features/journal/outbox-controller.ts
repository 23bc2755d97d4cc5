import type { OutboxItem, RelaisClient, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * The outbox as last reported (docs/outbox.md): what waits, what is being sent, what failed. The
 * composer lists it; its tries are the window's best clue whether the platform answers.
 */
export class OutboxController extends ExternalStore<OutboxItem[]> {
  constructor(
    private readonly client: RelaisClient,
    /** Told when a try of the outbox shows the platform reachable (or not). */
    private readonly setPlatformOnline: (online: boolean) => void = () => {},
  ) {
    super([]);
    this.own(client.onEvent((e) => this.handleEvent(e)));
  }

  load = async (): Promise<void> => {
    const r = await this.client.call('outbox.list', {});
    if (r.ok) this.replace(r.value);
  };

  /** An item the core just accepted (a post, an acknowledgement): shown before the next event. */
  track = (item: OutboxItem): void => {
    this.replace([...this.state.filter((i) => i.id !== item.id), item]);
  };

  /** « Réessayer » on a refused item. */
  retry = async (clientId: string): Promise<boolean> => {
    const r = await this.client.call('outbox.retry', { clientId });
    if (r.ok) this.track(r.value);
    return r.ok;
  };

  /** « Modifier »: the refused item is given up; answers its text (a journal post) to write again. */
  discard = async (clientId: string): Promise<string | null> => {
    const r = await this.client.call('outbox.discard', { clientId });
    if (!r.ok || !r.value.discarded) return null;
    this.replace(this.state.filter((i) => i.id !== clientId));
    return r.value.text ?? '';
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type !== 'outbox-changed') return;
    const before = new Map(this.state.map((i) => [i.id, i]));
    this.replace(event.items);
    // The outbox's own tries tell the window whether the platform answers.
    const changed = event.items.filter((i) => before.get(i.id)?.updatedAt !== i.updatedAt);
    if (changed.some((i) => i.status === 'sent')) this.setPlatformOnline(true);
    else if (changed.some((i) => i.status === 'queued' && i.lastError?.code === 'PLATFORM_UNREACHABLE')) this.setPlatformOnline(false);
  }
}

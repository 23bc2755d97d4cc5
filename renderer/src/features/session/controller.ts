import type { RelaisClient, RelaisErrorShape, RelaisEvent, Session } from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { UNREACHABLE_CODES } from '../../state/error-controller';
import type { ConnectionStatus } from '../../transport';

/**
 * Who is signed in and whether the window can reach anything: the socket (web host), the
 * browser's network, the platform as last observed (session, sync events here; journal pages and
 * outbox tries reported by their controllers), the
 * background sync, « Suivre le logiciel du cabinet ».
 */
export interface SessionState {
  connection: ConnectionStatus;
  browserOnline: boolean;
  /** Platform reachability as last observed (session, pages, sync events); null = unknown. */
  platformOnline: boolean | null;
  session: Session | null;
  /** Background sync of all followed patients, as last reported by the core. */
  syncStatus: Extract<RelaisEvent, { type: 'sync-status' }> | null;
}

export type OnlineIndicator = 'online' | 'offline' | 'connecting';

export function onlineIndicator(s: SessionState): OnlineIndicator {
  if (s.connection === 'connecting') return 'connecting';
  if (s.connection === 'closed' || !s.browserOnline) return 'offline';
  if (s.platformOnline === false) return 'offline';
  if (s.platformOnline === null && s.session && !s.session.online) return 'offline';
  return 'online';
}

export interface Connection {
  status: ConnectionStatus;
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
}

export class SessionController extends ExternalStore<SessionState> {
  constructor(
    private readonly client: RelaisClient,
    connection: Connection,
    private readonly showError: (error: RelaisErrorShape) => void,
    /** The socket came back after being down: what was missed must be read again. */
    private readonly onReconnect: () => void = () => {},
    browserOnline = true,
  ) {
    super({ connection: connection.status, browserOnline, platformOnline: null, session: null, syncStatus: null });
    this.own(
      client.onEvent((e) => this.handleEvent(e)),
      connection.onStatus((status) => {
        const wasDown = this.state.connection !== 'open';
        this.set({ connection: status });
        if (status === 'open' && wasDown) this.onReconnect();
      }),
    );
  }

  load = async (): Promise<void> => {
    const r = await this.client.call('session.current', {});
    if (r.ok) this.set({ session: r.value, platformOnline: r.value.online });
    else this.showError(r.error);
  };

  setBrowserOnline = (online: boolean): void => {
    this.set({ browserOnline: online });
  };

  /** What another controller observed of the platform (a page served by it, an unreachable error). */
  setPlatformOnline = (online: boolean): void => {
    if (this.state.platformOnline !== online) this.set({ platformOnline: online });
  };

  /** The box changes at once (it is what the GP just clicked); it goes back if the core refuses. */
  setFollowLgc = async (enabled: boolean): Promise<void> => {
    const before = this.state.session;
    if (before) this.set({ session: { ...before, followLgc: enabled } });
    const r = await this.client.call('settings.followLgc', { enabled });
    const session = this.state.session;
    if (!r.ok) {
      if (session && before) this.set({ session: { ...session, followLgc: before.followLgc } });
      this.showError(r.error);
      return;
    }
    if (session) this.set({ session: { ...session, followLgc: r.value.followLgc } });
  };

  private handleEvent(event: RelaisEvent): void {
    switch (event.type) {
      case 'journal-updated':
        this.setPlatformOnline(true);
        return;
      case 'sync-status':
        this.set({ syncStatus: event, platformOnline: event.state !== 'offline' });
        return;
      case 'sync-failed':
        if (UNREACHABLE_CODES.has(event.error.code)) this.setPlatformOnline(false);
        return;
    }
  }
}

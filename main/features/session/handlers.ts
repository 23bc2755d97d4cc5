/**
 * The session's own methods (session.current / lock / unlock, settings.followLgc). The state they
 * read and change (lock, reachability, « follow the practice software ») belongs to the core,
 * which hands them in as SessionControls; this module only answers and audits.
 */
import type { ApiRequest, ApiResponse, Session } from '../../../contract';
import type { FeatureContext } from '../feature';

export interface SessionControls {
  current(): Session;
  /** Manual lock (the window's button, the tray's « Verrouiller »). */
  lock(): void;
  /** Verifies the PIN (or the demo code) and releases the lock; throws to refuse. */
  unlock(pin: string): Promise<void>;
  setFollowLgc(enabled: boolean): void;
}

export function createSessionFeature({ store, actor }: Pick<FeatureContext, 'store' | 'actor'>, session: SessionControls) {
  const handlers = {
    'session.current': async (): Promise<ApiResponse<'session.current'>> => session.current(),
    'session.lock': async (): Promise<ApiResponse<'session.lock'>> => {
      session.lock();
      return { locked: true };
    },
    'session.unlock': async ({ pin }: ApiRequest<'session.unlock'>): Promise<ApiResponse<'session.unlock'>> => {
      await session.unlock(pin);
      store.audit(actor, 'session.unlock', null);
      return { locked: false };
    },
    'settings.followLgc': async ({ enabled }: ApiRequest<'settings.followLgc'>): Promise<ApiResponse<'settings.followLgc'>> => {
      session.setFollowLgc(enabled);
      store.audit(actor, enabled ? 'settings.follow-lgc.on' : 'settings.follow-lgc.off', null);
      return { followLgc: enabled };
    },
  };
  return { handlers };
}

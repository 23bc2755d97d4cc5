import type { RelaisEvent } from '../../contract';
import type { Logger } from './logger';

/**
 * The core's events as technical log lines (issue 16, item 4), shared by the web host and the
 * Electron shell. Only ids, codes, counts and states are written: a patient is named by its
 * platform id, never by its traits; the professional by the sign-in method, never by name or
 * RPPS; an outbox item by its id and attempt count, never its summary. Noisy events (progress,
 * back-fill steps) are logged on transitions only.
 */
export function coreEventLogger(log: Logger): (event: RelaisEvent) => void {
  let syncState: string | null = null;
  const stateSeen = new Map<string, string>();
  return (event) => {
    switch (event.type) {
      case 'patient-changed':
        log.info('patient.opened', { ref: `Patient/${event.patient.id}`, cached: event.cached });
        break;
      case 'lgc-context-changed':
        log.info('launch.context-offered');
        break;
      case 'launch-failed':
        log.warn('launch.refused', { code: event.error.code });
        break;
      case 'practitioner-mismatch':
        log.warn('launch.practitioner-mismatch', { ref: `Patient/${event.patientId}` });
        break;
      case 'identity-confirmation-required':
        log.info('launch.identity-confirmation', { ref: `Patient/${event.patient.id}`, discrepancies: event.discrepancies.length });
        break;
      case 'patient-candidates':
        log.info('launch.candidates', { candidates: event.candidates.length });
        break;
      case 'sync-status':
        if (event.state === syncState) break;
        syncState = event.state;
        if (event.state === 'running') log.info('sync.pass-started', { total: event.total });
        else if (event.state === 'idle') log.info('sync.pass-complete', { done: event.done, total: event.total });
        else log.warn('sync.offline', { done: event.done, total: event.total });
        break;
      case 'sync-failed':
        log.warn('sync.failed', { ref: `Patient/${event.patientId}`, code: event.error.code });
        break;
      case 'outbox-changed':
        for (const item of event.items) {
          // `sending` is transient and every list repeats unchanged items: one line per new state.
          const state = `${item.status}:${item.attempts}`;
          if (item.status === 'sending' || stateSeen.get(item.id) === state) continue;
          stateSeen.set(item.id, state);
          if (item.status === 'sent') log.info('outbox.sent', { item: item.id, attempts: item.attempts });
          else if (item.status === 'failed-permanent') log.error('outbox.failed', { item: item.id, attempts: item.attempts, code: item.lastError?.code });
          else if (item.attempts > 0) log.warn('outbox.retry', { item: item.id, attempts: item.attempts, code: item.lastError?.code, next: item.nextAttemptAt });
          else log.info('outbox.queued', { item: item.id, kind: item.kind });
        }
        break;
      case 'session-locked':
        log.info('session.locked', { reason: event.reason });
        break;
      case 'session-unlocked':
        log.info('session.unlocked');
        break;
      case 'sign-in-required':
        log.warn('auth.sign-in-required', { reason: event.reason });
        break;
      case 'auth-changed':
        log.info('auth.changed', { signedIn: event.status.signedIn, method: event.status.method, unreachable: event.status.platformUnreachable ?? false });
        break;
      case 'alert-raised':
        log.info('alert.raised', { ref: `Patient/${event.patient.id}`, alertId: event.alert.id, unacknowledged: event.unacknowledged });
        break;
      case 'alert-handled':
        log.info('alert.handled', { ref: `Patient/${event.patientId}`, alertId: event.alertId, unacknowledged: event.unacknowledged });
        break;
      case 'journal-updated':
        log.debug('journal.updated', { ref: `Patient/${event.patientId}`, total: event.total });
        break;
      case 'journal-backfill':
        if (event.done) log.info('journal.backfilled', { ref: `Patient/${event.patientId}`, stored: event.stored });
        break;
    }
  };
}

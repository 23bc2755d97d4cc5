import { AxiosError } from 'axios';
import { RelaisError } from '../../../contract';

/** How an HTTP or network failure of the platform becomes a typed RelaisError (every adapter call). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export type NotFoundCode = 'PATIENT_NOT_FOUND' | 'PLATFORM_ERROR';

/** Axios / network failure → RelaisError. `notFound` decides what a 404 means for this call. */
export function toRelaisError(err: unknown, what: string, notFound: NotFoundCode = 'PLATFORM_ERROR'): RelaisError {
  if (err instanceof RelaisError) return err;
  if (err instanceof AxiosError) {
    const status = err.response?.status;
    if (status === undefined) {
      const code = err.code ?? '';
      if (UNREACHABLE_CODES.has(code) || err.request) {
        return new RelaisError('PLATFORM_UNREACHABLE', `${what}: platform unreachable (${code || err.message})`);
      }
      return new RelaisError('PLATFORM_ERROR', `${what}: ${err.message}`);
    }
    const detail = operationOutcomeText(err.response?.data);
    const suffix = detail ? ` — ${detail}` : '';
    if (status === 401) return new RelaisError('UNAUTHENTICATED', `${what}: HTTP 401 Unauthorized${suffix}`);
    if (status === 403) return new RelaisError('FORBIDDEN', `${what}: HTTP 403 Forbidden${suffix}`);
    if (status === 404 || status === 410) return new RelaisError(notFound, `${what}: HTTP ${status} not found${suffix}`);
    if (status === 409 || status === 412) return new RelaisError('CONFLICT', `${what}: HTTP ${status} version conflict${suffix}`);
    return new RelaisError('PLATFORM_ERROR', `${what}: HTTP ${status}${suffix}`);
  }
  return new RelaisError('PLATFORM_ERROR', `${what}: ${err instanceof Error ? err.message : String(err)}`);
}

function operationOutcomeText(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const oo = data as { resourceType?: string; issue?: { diagnostics?: string; details?: { text?: string } }[] };
  if (oo.resourceType !== 'OperationOutcome') return undefined;
  return oo.issue?.map((i) => i.diagnostics ?? i.details?.text).filter(Boolean).join('; ') || undefined;
}

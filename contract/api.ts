import { z } from 'zod';
import { SESSION_API } from './features/session';
import { PATIENT_API } from './features/patient';
import { JOURNAL_API } from './features/journal';
import { PANELS_API } from './features/panels';
import { OUTBOX_API } from './outbox';
import { AUDIT_API } from './features/audit';
import { PPS_API } from './features/pps';
import { AGENDA_API } from './features/agenda';
import { REFERRAL_API } from './features/referral';
import { PRESCRIPTION_API } from './features/prescription';
import { FLOW_API } from './features/flow';
import { CLINICAL_API } from './features/clinical';
import { SUPPORT_REQUEST_API } from './features/support-request';
import { HOSPITAL_STAY_API } from './features/hospital-stay';
import { OPINION_API } from './features/opinion';
import { AUTH_API, type AuthMethod } from './auth';

/**
 * Every method of the API: its request schema and its response value schema.
 * Both hosts (Electron IPC, WebSocket) and the in-process transport dispatch from this table.
 */
export const API = {
  ...SESSION_API,
  ...PATIENT_API,
  ...JOURNAL_API,
  ...PANELS_API,
  ...OUTBOX_API,
  ...AUDIT_API,
  ...PPS_API,
  ...AGENDA_API,
  ...REFERRAL_API,
  ...PRESCRIPTION_API,
  ...FLOW_API,
  ...CLINICAL_API,
  ...SUPPORT_REQUEST_API,
  ...HOSPITAL_STAY_API,
  ...OPINION_API,
  ...AUTH_API,
} as const;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.infer<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof API)[M]['response']>;
export const API_METHODS = Object.keys(API) as ApiMethod[];
/** What a signed-in professional's core answers; auth.* is answered by the session host around it. */
export type CoreMethod = Exclude<ApiMethod, AuthMethod>;

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(API, value);
}
